#pragma once
// Private to the stack parser: the rules a descriptor's values follow. Each returns an empty string when the
// value is fine, else what is wrong (the caller adds file, line and key).

#include <string>

namespace envctl::descriptors::detail {

std::string check_service_name(const std::string& name);     // [a-z][a-z0-9-]*
std::string check_volume_name(const std::string& name);      // [a-z][a-z0-9-]*
std::string check_variable_name(const std::string& name);    // [A-Z][A-Z0-9_]*
std::string check_env_name(const std::string& name);         // [A-Za-z_][A-Za-z0-9_]*
std::string check_image(const std::string& image);           // has a tag (or digest); the tag is not "latest"
std::string check_local_image(const std::string& image);     // check_image, and under localhost/
std::string check_size(const std::string& size);             // 512m, 2g, 64mb
std::string check_container_path(const std::string& path);   // absolute
std::string check_project_path(const std::string& path);     // relative, inside the project
std::string check_capability(const std::string& cap);        // IPC_LOCK
std::string check_signal(const std::string& signal);         // SIGINT
// A secret-named variable (PASSWORD, SECRET, TOKEN, KEY) must be given only as a ${VAR} reference.
std::string check_secret_value(const std::string& env_name, const std::string& value);

}  // namespace envctl::descriptors::detail
