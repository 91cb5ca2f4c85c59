#include "envctl/cli/context.hpp"

#include <filesystem>

#include "envctl/descriptors/mount_check.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/validate.hpp"
#include "envctl/orchestration/port_choice.hpp"
#include "envctl/settings/environment_lookup.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::cli {

const settings::Settings& Context::settings() {
    if (!settings_) {
        auto loaded = settings::load(options, subprocess::current_environment(), std::filesystem::current_path());
        // Every variable the stack references comes from the process environment too, not only those the
        // defaults or the env file already know (a stack file's own ports, tokens...).
        auto stack = descriptors::load_stack(loaded.stack_file);
        descriptors::check_mounts_inside(stack, loaded.project_dir);
        stack_ = std::move(stack);
        const auto referenced = descriptors::referenced_variables(*stack_);
        settings::take_from_environment(loaded, referenced);
        settings::limit_children_to(loaded, referenced);
        orchestration::apply_auto_ports(loaded, orchestration::port_variables(*stack_), pick_ports);  // ENVCTL_PORTS=auto
        settings_ = std::move(loaded);
        Redactor::global().add_secrets_from(settings_->vars.all());
        Redactor::global().add_public(settings_->env_file.string());
        Redactor::global().add_public(settings_->env_file.filename().string());
        Redactor::global().add_public(".env.development");  // the file messages advise editing, by that name
    }
    return *settings_;
}

const descriptors::Stack& Context::stack() {
    if (!stack_ || !settings_) settings();
    return *stack_;
}

}  // namespace envctl::cli
