# Every library comes from a Debian package; nothing is vendored or downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(CURL REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)

add_library(envctl_deps INTERFACE)
target_link_libraries(envctl_deps INTERFACE
  CLI11::CLI11 nlohmann_json::nlohmann_json yaml-cpp spdlog::spdlog CURL::libcurl
  PkgConfig::PQXX pq OpenSSL::Crypto Threads::Threads)
