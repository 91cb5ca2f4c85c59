// A selection of services checked against the settings: ports resolve, no two share a host port, every ${VAR}
// the descriptors need is set.

#include <gtest/gtest.h>
#include "support/test_paths.hpp"

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/validate.hpp"
#include "envctl/settings/settings.hpp"

using envctl::descriptors::builtin_stack;
using envctl::descriptors::parse_stack;
using envctl::descriptors::required_references;
using envctl::descriptors::validate_selection;
using envctl::settings::Origin;
using envctl::settings::Variables;

namespace {

const char* kTwo = R"(mode: replace
services:
  a:
    group: core
    image: busybox:1.36
    ports:
      - {variable: A_PORT, container: 80}
      - {variable: A_ADMIN_PORT, container: 81}
    environment:
      TOKEN: ${A_TOKEN}
      GREETING: ${GREETING:-hello}
    probe: {kind: tcp, port_variable: A_PORT}
  b:
    group: core
    image: busybox:1.36
    ports:
      - {variable: B_PORT, container: 80}
    healthcheck: test -n "$${HOME}" && test -n "${B_NAME}"
    probe: {kind: tcp, port_variable: B_PORT}
)";

Variables vars(std::initializer_list<std::pair<const char*, const char*>> entries) {
    Variables v;
    for (const auto& [k, value] : entries)
        v.set(k, value, Origin{Origin::Kind::env_file, "/p/.env.development", 7});
    return v;
}

std::string error_of(const Variables& v, const std::vector<std::string>& services) {
    try {
        validate_selection(parse_stack(kTwo, "two.yaml"), services, v);
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ValidateSelection, AcceptsDistinctValidPorts) {
    EXPECT_EQ(error_of(vars({{"A_PORT", "21001"}, {"A_ADMIN_PORT", "21002"}, {"B_PORT", "21003"}, {"A_TOKEN", "t0k"},
                             {"B_NAME", "b"}}),
                       {"a", "b"}),
              "");
}

TEST(ValidateSelection, TwoServicesOnOneHostPortNamesBothServicesAndVariables) {
    const std::string message = error_of(
        vars({{"A_PORT", "21001"}, {"A_ADMIN_PORT", "21002"}, {"B_PORT", "21001"}, {"A_TOKEN", "x"}, {"B_NAME", "b"}}),
        {"a", "b"});
    EXPECT_NE(message.find("host port 21001"), std::string::npos) << message;
    EXPECT_NE(message.find("service a (A_PORT"), std::string::npos) << message;
    EXPECT_NE(message.find("service b (B_PORT"), std::string::npos) << message;
}

TEST(ValidateSelection, TwoPortsOfOneServiceOnOneHostPort) {
    const std::string message =
        error_of(vars({{"A_PORT", "21001"}, {"A_ADMIN_PORT", "21001"}, {"A_TOKEN", "x"}}), {"a"});
    EXPECT_NE(message.find("A_PORT"), std::string::npos) << message;
    EXPECT_NE(message.find("A_ADMIN_PORT"), std::string::npos) << message;
}

TEST(ValidateSelection, UnselectedServicesDoNotClash) {
    EXPECT_EQ(error_of(vars({{"A_PORT", "21001"}, {"A_ADMIN_PORT", "21002"}, {"B_PORT", "21001"}, {"A_TOKEN", "x"}}),
                       {"a"}),
              "");
}

TEST(ValidateSelection, PortOutOfRangeOrMissingNamesTheVariable) {
    std::string message =
        error_of(vars({{"A_PORT", "70000"}, {"A_ADMIN_PORT", "21002"}, {"A_TOKEN", "x"}}), {"a"});
    EXPECT_NE(message.find("A_PORT"), std::string::npos) << message;
    EXPECT_NE(message.find("1 to 65535"), std::string::npos) << message;
    message = error_of(vars({{"A_PORT", "21001"}, {"A_TOKEN", "x"}}), {"a"});
    EXPECT_NE(message.find("A_ADMIN_PORT"), std::string::npos) << message;
}

TEST(ValidateSelection, AnUnsetReferencedVariableIsNamedWithItsService) {
    const std::string message = error_of(vars({{"A_PORT", "21001"}, {"A_ADMIN_PORT", "21002"}}), {"a"});
    EXPECT_NE(message.find("A_TOKEN is not set: service a needs it"), std::string::npos) << message;
}

TEST(RequiredReferences, SkipsDefaultsAndEscapedDollars) {
    const auto stack = parse_stack(kTwo, "two.yaml");
    EXPECT_EQ(required_references(stack.get("a")), std::vector<std::string>{"A_TOKEN"});
    EXPECT_EQ(required_references(stack.get("b")), std::vector<std::string>{"B_NAME"});
}

TEST(ValidateSelection, TheSeedSettingsFitTheWholeBuiltInStack) {
    const auto settings = envctl::settings::load({.project_dir = std::filesystem::path(ENVCTL_REPO_ROOT)}, {}, "/");
    EXPECT_NO_THROW(validate_selection(builtin_stack(), builtin_stack().profile_services("full"), settings.vars));
}
