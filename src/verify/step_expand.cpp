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

std::map<std::string, std::string> verify_run_values(const std::string& id, std::chrono::system_clock::time_point now) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    using namespace std::chrono;
    const auto since_epoch = now.time_since_epoch();
    const auto ms = duration_cast<milliseconds>(since_epoch).count();
    // The trace id ends in the hex digits of the object name, so a trace names its check.
    const std::string tail = id.size() >= 12 ? id.substr(id.size() - 12) : id;
    return {
        {"VERIFY_ID", id},
        {"VERIFY_TRACE_ID", fmt::format("{:08x}{:012x}", random() & 0xffffffffULL, random() & 0xffffffffffffULL).substr(0, 20) + tail},
        {"VERIFY_SPAN_ID", fmt::format("{:016x}", random())},
        {"VERIFY_NOW_S", std::to_string(duration_cast<seconds>(since_epoch).count())},
        {"VERIFY_NOW_MS", std::to_string(ms)},
        {"VERIFY_NOW_NS", std::to_string(duration_cast<nanoseconds>(since_epoch).count())},
        {"VERIFY_WINDOW_START_MS", std::to_string(ms - 3600 * 1000)},
        {"VERIFY_WINDOW_END_MS", std::to_string(ms + 3600 * 1000)},
    };
}

std::string verify_object_name() {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return fmt::format("envctl-verify-{:012x}", random() & 0xffffffffffffULL);
}

}  // namespace envctl::verify
