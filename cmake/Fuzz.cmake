# libFuzzer targets (ENVCTL_FUZZ=ON, clang only): the env-file parser, the stack-file parser, podman's JSON answers
# and the SQL script splitter, each built with -fsanitize=fuzzer,address,undefined from only the sources it needs
# (so the fuzz build stays small). scripts/fuzz configures build-fuzz, builds them and runs each for a bounded time.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "ENVCTL_FUZZ=ON needs clang: -DCMAKE_CXX_COMPILER=clang++ (Debian: clang and libclang-rt-dev)")
endif()

set(ENVCTL_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1)
add_library(envctl_fuzz_parsers STATIC
  src/settings/env_file.cpp
  src/descriptors/canonical.cpp src/descriptors/service_parser.cpp src/descriptors/stack.cpp
  src/descriptors/stack_checks.cpp src/descriptors/stack_parser.cpp src/descriptors/value_rules.cpp
  src/descriptors/verify_parser.cpp src/descriptors/verify_parser_azure.cpp src/descriptors/yaml_reader.cpp
  src/engine/podman_json.cpp src/engine/engine.cpp
  src/migrations/sql_script.cpp
  src/core/duration.cpp src/core/byte_size.cpp src/core/references.cpp src/util/files.cpp src/util/redactor.cpp
  ${CMAKE_BINARY_DIR}/generated/envctl/builtin_stack_yaml.hpp)
target_include_directories(envctl_fuzz_parsers PUBLIC ${CMAKE_SOURCE_DIR}/include ${CMAKE_BINARY_DIR}/generated)
target_compile_options(envctl_fuzz_parsers PUBLIC ${ENVCTL_FUZZ_FLAGS} PRIVATE -fsanitize=fuzzer-no-link)
target_link_libraries(envctl_fuzz_parsers PUBLIC nlohmann_json::nlohmann_json yaml-cpp spdlog::spdlog)

set(ENVCTL_FUZZ_TARGETS env_file stack_file podman_json sql_script)
foreach(name IN LISTS ENVCTL_FUZZ_TARGETS)
  add_executable(fuzz_${name} ${CMAKE_SOURCE_DIR}/fuzz/${name}_fuzz.cpp)
  target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_${name} PRIVATE envctl_fuzz_parsers)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
endforeach()
add_custom_target(fuzz_targets DEPENDS fuzz_env_file fuzz_stack_file fuzz_podman_json fuzz_sql_script)
