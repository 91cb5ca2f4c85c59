#pragma once
// What the settings file may hand to the programs envctl starts. podman runs as root, podman-compose is Python,
// probes run through /bin/sh: a committed settings file must not be able to reconfigure them. The file is
// refused (usage error naming file and line) when it sets a loader, shell, interpreter or container-engine
// variable; children get envctl's own process environment plus only the variables the stack uses.

#include <string>
#include <string_view>
#include <vector>

#include "envctl/settings/env_file.hpp"

namespace envctl::settings {

// LD_*, GCONV_PATH, PATH, HOME, TMPDIR, XDG_*, CONTAINER_*, CONTAINERS_*, PODMAN_*, BUILDAH_*, DOCKER_*,
// STORAGE_DRIVER, STORAGE_OPTS, REGISTRY_AUTH_FILE, SSL_CERT_FILE, SSL_CERT_DIR, PYTHON*, BASH_ENV, ENV,
// SHELLOPTS, BASH_FUNC_*: the list README's "Secrets" section gives.
bool is_engine_variable(std::string_view name);

// Throws Error(usage) for the first entry of `file` that is_engine_variable, naming "<file>:<line>".
void refuse_engine_variables(const EnvFile& file);

}  // namespace envctl::settings
