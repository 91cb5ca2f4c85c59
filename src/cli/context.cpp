#include "envctl/cli/context.hpp"

#include <filesystem>

#include "envctl/descriptors/mount_check.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::cli {

const settings::Settings& Context::settings() {
    if (!settings_) {
        settings_ = settings::load(options, subprocess::current_environment(), std::filesystem::current_path());
        Redactor::global().add_secrets_from(settings_->vars.all());
    }
    return *settings_;
}

const descriptors::Stack& Context::stack() {
    if (!stack_) {
        auto stack = descriptors::load_stack(settings().stack_file);
        descriptors::check_mounts_inside(stack, settings().project_dir);
        stack_ = std::move(stack);
    }
    return *stack_;
}

}  // namespace envctl::cli
