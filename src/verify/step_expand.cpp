#include <random>

#include <fmt/format.h>

#include "envctl/verify/steps.hpp"

namespace envctl::verify {

std::string expand(const std::string& text, const StepEnv& env) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto start = text.find("${", i);
        if (start == std::string::npos) break;
        auto end = text.find('}', start);
        if (end == std::string::npos) break;
        out.append(text, i, start - i);
        const std::string name = text.substr(start + 2, end - start - 2);
        if (auto it = env.values.find(name); it != env.values.end()) out += it->second;
        else if (const auto* v = env.settings ? env.settings->vars.find(name) : nullptr) out += *v;
        else throw std::runtime_error(fmt::format("${{{}}} is not set (neither a setting nor captured by an earlier step)", name));
        i = end + 1;
    }
    out.append(text, i, std::string::npos);
    return out;
}

int published_port(const descriptors::VerifyStep& step, const StepEnv& env) {
    const auto* value = env.settings ? env.settings->vars.find(step.port_variable) : nullptr;
    if (!value) throw std::runtime_error(step.port_variable + " is not set");
    return std::stoi(*value);
}

std::string verify_object_name() {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return fmt::format("envctl-verify-{:012x}", random() & 0xffffffffffffULL);
}

}  // namespace envctl::verify
