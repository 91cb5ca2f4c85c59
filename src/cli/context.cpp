#include "envctl/cli/context.hpp"

#include <filesystem>

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
    if (!stack_) stack_ = descriptors::load_stack(settings().stack_file);
    return *stack_;
}

}  // namespace envctl::cli
