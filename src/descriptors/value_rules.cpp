#include "value_rules.hpp"

#include <filesystem>
#include <regex>

#include "envctl/core/references.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::descriptors::detail {

namespace {

// Each pattern is compiled once (a stack's validation checks every name, image and size it holds).
bool matches(const std::string& s, const std::regex& pattern) { return std::regex_match(s, pattern); }

#define ENVCTL_PATTERN(name, text)          \
    const std::regex& name() {                \
        static const std::regex compiled(text); \
        return compiled;                      \
    }
ENVCTL_PATTERN(kebab_name, "[a-z][a-z0-9-]*")
ENVCTL_PATTERN(variable_name, "[A-Z][A-Z0-9_]*")
ENVCTL_PATTERN(env_name, "[A-Za-z_][A-Za-z0-9_]*")
ENVCTL_PATTERN(size_pattern, "[1-9][0-9]*(b|k|m|g|kb|mb|gb)")
ENVCTL_PATTERN(capability_name, "[A-Z][A-Z_]*")
ENVCTL_PATTERN(signal_name, "SIG[A-Z0-9]+")
#undef ENVCTL_PATTERN

}  // namespace

std::string check_service_name(const std::string& name) {
    return matches(name, kebab_name()) ? "" : "a service name is lower-case letters, digits and '-'";
}

std::string check_volume_name(const std::string& name) {
    return matches(name, kebab_name()) ? "" : "a volume name is lower-case letters, digits and '-'";
}

std::string check_variable_name(const std::string& name) {
    return matches(name, variable_name()) ? "" : "a variable name is upper-case letters, digits and '_'";
}

std::string check_env_name(const std::string& name) {
    return matches(name, env_name()) ? "" : "an environment name is letters, digits and '_'";
}

std::string check_image(const std::string& image) {
    if (image.find_first_of(" \t\"'$") != std::string::npos) return "an image reference has no spaces, quotes or $";
    if (image.find('@') != std::string::npos) return "";  // pinned by digest
    const auto slash = image.rfind('/');
    const auto colon = image.rfind(':');
    if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
        return "\"" + image + "\" has no tag: pin a version";
    const std::string tag = image.substr(colon + 1);
    if (tag.empty()) return "\"" + image + "\" has an empty tag: pin a version";
    if (tag == "latest" || tag.ends_with("-latest") || tag.starts_with("latest-"))
        return "\"" + image + "\" uses a moving `latest` tag: pin a version";
    return "";
}

std::string check_local_image(const std::string& image) {
    if (!image.starts_with("localhost/"))
        return "\"" + image + "\" is not under localhost/: local images never use an upstream name";
    return check_image(image);
}

std::string check_size(const std::string& size) {
    return matches(size, size_pattern()) ? "" : "\"" + size + "\" is not a size such as 512m or 2g";
}

std::string check_container_path(const std::string& path) {
    return path.starts_with("/") ? "" : "\"" + path + "\" is not an absolute path inside the container";
}

std::string check_project_path(const std::string& path) {
    const std::filesystem::path p(path);
    if (p.is_absolute()) return "\"" + path + "\" must be relative to the project root";
    for (const auto& part : p.lexically_normal())
        if (part == "..") return "\"" + path + "\" leaves the project root";
    if (path.find_first_of(":$\"") != std::string::npos) return "\"" + path + "\" contains ':', '$' or a quote";
    return "";
}

std::string check_capability(const std::string& cap) {
    return matches(cap, capability_name()) ? "" : "\"" + cap + "\" is not a capability name such as IPC_LOCK";
}

std::string check_signal(const std::string& signal) {
    return matches(signal, signal_name()) ? "" : "\"" + signal + "\" is not a signal name such as SIGINT";
}

std::string check_secret_value(const std::string& env_name, const std::string& value) {
    if (!Redactor::is_secret_name(env_name)) return "";
    // ${VAR}, ${VAR:?message} or ${VAR?message}: the value comes from the settings, or nothing starts.
    const auto ref = references::whole_reference(value);
    if (ref && !ref->has_default() && (ref->modifier == references::Modifier::none || !ref->argument.empty()))
        return "";
    return "a secret is given only as a ${VARIABLE} reference (the value comes from the settings), never literally";
}

}  // namespace envctl::descriptors::detail
