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
# Qpid Proton C++ (libqpid-proton-cpp12-dev): AMQP 1.0 for verify's Service Bus check. Only
# src/verify/amqp_client.cpp includes its headers. Found by hand: Debian 12's libqpid-proton-cpp.pc requires
# libqpid-proton-core and -proactor, which no package ships (the one C library is libqpid-proton).
find_path(PROTON_CPP_INCLUDE_DIR proton/container.hpp REQUIRED)
find_library(PROTON_CPP_LIBRARY qpid-proton-cpp REQUIRED)
add_library(envctl_proton_cpp INTERFACE)
target_include_directories(envctl_proton_cpp INTERFACE ${PROTON_CPP_INCLUDE_DIR})
target_link_libraries(envctl_proton_cpp INTERFACE ${PROTON_CPP_LIBRARY})

add_library(envctl_deps INTERFACE)
target_link_libraries(envctl_deps INTERFACE
  CLI11::CLI11 nlohmann_json::nlohmann_json yaml-cpp spdlog::spdlog CURL::libcurl
  PkgConfig::PQXX pq OpenSSL::Crypto envctl_proton_cpp Threads::Threads)
