#include "envctl/settings/child_env.hpp"

#include <array>

#include "envctl/core/error.hpp"

namespace envctl::settings {

bool is_engine_variable(std::string_view name) {
    static constexpr std::array<std::string_view, 11> prefixes{
        "LD_", "XDG_", "CONTAINER_", "CONTAINERS_", "PODMAN_", "BUILDAH_", "DOCKER_", "PYTHON", "BASH_FUNC_",
        "CONMON_", "NETAVARK_"};
    static constexpr std::array<std::string_view, 12> names{
        "GCONV_PATH", "PATH", "HOME", "TMPDIR", "STORAGE_DRIVER", "STORAGE_OPTS", "REGISTRY_AUTH_FILE",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "BASH_ENV", "ENV", "SHELLOPTS"};
    for (auto prefix : prefixes)
        if (name.substr(0, prefix.size()) == prefix) return true;
    for (auto exact : names)
        if (name == exact) return true;
    return false;
}

void refuse_engine_variables(const EnvFile& file) {
    for (const auto& entry : file.entries) {
        if (!is_engine_variable(entry.key)) continue;
        throw usage_error(file.path.string() + ":" + std::to_string(entry.line) + ": " + entry.key +
                          " may not be set in the settings file: it would reconfigure podman and every program "
                          "envctl starts (loader, shell, interpreter and container-engine variables are refused; see "
                          "README, Secrets). Remove the line; set it in your own environment if you mean it");
    }
}

}  // namespace envctl::settings
