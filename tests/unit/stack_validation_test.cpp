// Descriptor and stack-file validation: every error names the file, the line and the key.

#include <gtest/gtest.h>

#include <string>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"

using envctl::descriptors::parse_stack;

namespace {

struct BadCase {
    const char* what;
    const char* yaml;
    const char* location;  // "<file>:<line>: <key path>"
    const char* problem;   // part of the message after the location
};

// A valid one-service stack the cases below break one thing in (line numbers are this text's).
const char* kValid = R"(mode: replace
services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 8080}
    probe: {kind: http, port_variable: WEB_PORT, path: /}
)";

const BadCase kCases[] = {
    {"unknown top-level key", "mode: replace\ncolour: red\nservices: {}\n", "t.yaml:2: (top level).colour",
     "unknown key"},
    {"bad mode", "mode: merge\nservices: {}\n", "t.yaml:1: mode", "extend or replace"},
    {"unknown service key", R"(services:
  web:
    group: core
    imgae: busybox:1.36
)",
     "t.yaml:4: services.web.imgae", "unknown key (known keys: group, image"},
    {"duplicate key", R"(services:
  web:
    group: core
    group: dapr
)",
     "t.yaml:4: services.web.group", "duplicate key"},
    {"missing image", R"(services:
  web:
    group: core
    probe: {kind: tcp, port_variable: X_PORT}
)",
     "t.yaml:3: services.web", "`image` is required"},
    {"bad group", R"(services:
  web:
    group: backend
    image: busybox:1.36
    probe: {kind: command, command: [true]}
)",
     "t.yaml:3: services.web.group", "one of dapr, core, identity, observability"},
    {"latest tag", R"(services:
  web:
    group: core
    image: busybox:latest
    probe: {kind: command, command: [true]}
)",
     "t.yaml:4: services.web.image", "moving `latest` tag"},
    {"vendor -latest tag", R"(services:
  web:
    group: core
    image: mcr.microsoft.com/mssql/server:2022-latest
    probe: {kind: command, command: [true]}
)",
     "t.yaml:4: services.web.image", "moving `latest` tag"},
    {"untagged image", R"(services:
  web:
    group: core
    image: registry:5000/busybox
    probe: {kind: command, command: [true]}
)",
     "t.yaml:4: services.web.image", "has no tag"},
    {"local image under an upstream name", R"(services:
  web:
    group: core
    image: busybox:1.36
    local_image: docker.io/library/busybox:1.36
    probe: {kind: command, command: [true]}
)",
     "t.yaml:5: services.web.local_image", "not under localhost/"},
    {"bad duration", R"(services:
  web:
    group: core
    image: busybox:1.36
    probe: {kind: command, command: [true]}
    ready_budget: soon
    budget_reason: slow
)",
     "t.yaml:6: services.web.ready_budget", "\"soon\" is not a duration such as 500ms, 30s or 2m"},
    {"own budget without a reason", R"(services:
  web:
    group: core
    image: busybox:1.36
    probe: {kind: command, command: [true]}
    ready_budget: 2m
)",
     "t.yaml:6: services.web.ready_budget", "needs `budget_reason`"},
    {"duplicate port variable", R"(services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 8080}
      - {variable: WEB_PORT, container: 8081}
    probe: {kind: tcp, port_variable: WEB_PORT}
)",
     "t.yaml:7: services.web.ports[1].variable", "WEB_PORT is already used by another port of this service"},
    {"container port out of range", R"(services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 70000}
    probe: {kind: tcp, port_variable: WEB_PORT}
)",
     "t.yaml:6: services.web.ports[0].container", "\"70000\" is not a whole number from 1 to 65535"},
    {"lower-case port variable", R"(services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: web_port, container: 8080}
    probe: {kind: tcp, port_variable: web_port}
)",
     "t.yaml:6: services.web.ports[0].variable", "upper-case letters"},
    {"probe port not among the ports", R"(services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 8080}
    probe:
      kind: http
      port_variable: OTHER_PORT
)",
     "t.yaml:9: services.web.probe.port_variable", "OTHER_PORT is not among this service's ports"},
    {"unknown probe kind", R"(services:
  web:
    group: core
    image: busybox:1.36
    probe: {kind: grpc}
)",
     "t.yaml:5: services.web.probe.kind", "one of http, https, tcp, postgres, redis, command"},
    {"command probe without command", R"(services:
  web:
    group: core
    image: busybox:1.36
    probe: {kind: command}
)",
     "t.yaml:5: services.web.probe", "a command probe needs `command`"},
    {"path on a tcp probe", R"(services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 8080}
    probe: {kind: tcp, port_variable: WEB_PORT, path: /x}
)",
     "t.yaml:7: services.web.probe.path", "only http and https probes take `path`"},
    {"bad status", R"(services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 8080}
    probe: {kind: http, port_variable: WEB_PORT, expect_status: [200, 999]}
)",
     "t.yaml:7: services.web.probe.expect_status[1]", "\"999\" is not a whole number from 100 to 599"},
    {"literal secret", R"(services:
  web:
    group: core
    image: busybox:1.36
    environment:
      DB_PASSWORD: hunter22
    probe: {kind: command, command: [true]}
)",
     "t.yaml:6: services.web.environment.DB_PASSWORD", "only as a ${VARIABLE} reference"},
    {"environment value is a list", R"(services:
  web:
    group: core
    image: busybox:1.36
    environment:
      MODE: [a, b]
    probe: {kind: command, command: [true]}
)",
     "t.yaml:6: services.web.environment.MODE", "expected a value"},
    {"mount leaving the project", R"(services:
  web:
    group: core
    image: busybox:1.36
    mounts:
      - {source: ../secrets/key.pem, target: /key.pem}
    probe: {kind: command, command: [true]}
)",
     "t.yaml:6: services.web.mounts[0].source", "leaves the project root"},
    {"relative volume target", R"(services:
  web:
    group: core
    image: busybox:1.36
    volumes:
      - {name: web-data, target: data}
    probe: {kind: command, command: [true]}
)",
     "t.yaml:6: services.web.volumes[0].target", "not an absolute path"},
    {"bad memory", R"(services:
  web:
    group: core
    image: busybox:1.36
    memory: lots
    probe: {kind: command, command: [true]}
)",
     "t.yaml:5: services.web.memory", "\"lots\" is not a size such as 512m or 2g"},
    {"stop grace not whole seconds", R"(services:
  web:
    group: core
    image: busybox:1.36
    stop_grace: 1500ms
    probe: {kind: command, command: [true]}
)",
     "t.yaml:5: services.web.stop_grace", "whole seconds only"},
    {"unknown dependency", R"(services:
  web:
    group: core
    image: busybox:1.36
    depends_on: [db]
    probe: {kind: command, command: [true]}
)",
     "t.yaml:5: services.web.depends_on[0]", "web depends on unknown service \"db\""},
    {"self dependency", R"(services:
  web:
    group: core
    image: busybox:1.36
    depends_on: [web]
    probe: {kind: command, command: [true]}
)",
     "t.yaml:5: services.web.depends_on[0]", "cannot depend on itself"},
    {"dependency cycle", R"(services:
  a:
    group: core
    image: busybox:1.36
    depends_on: [b]
    probe: {kind: command, command: [true]}
  b:
    group: core
    image: busybox:1.36
    depends_on: [c]
    probe: {kind: command, command: [true]}
  c:
    group: core
    image: busybox:1.36
    depends_on: [a]
    probe: {kind: command, command: [true]}
)",
     "t.yaml:15: services.c.depends_on[0]", "dependency cycle: a -> b -> c -> a"},
    {"profile naming an unknown service", R"(services:
  web:
    group: core
    image: busybox:1.36
    probe: {kind: command, command: [true]}
profiles:
  mini:
    - web
    - db
)",
     "t.yaml:9: profiles.mini[1]", "profile mini names unknown service \"db\""},
    {"redefining full", R"(services:
  web:
    group: core
    image: busybox:1.36
    probe: {kind: command, command: [true]}
profiles:
  full: [web]
)",
     "t.yaml:7: profiles.full", "cannot be redefined"},
    {"shared data volume", R"(services:
  a:
    group: core
    image: busybox:1.36
    volumes: [{name: data, target: /data}]
    probe: {kind: command, command: [true]}
  b:
    group: core
    image: busybox:1.36
    volumes: [{name: data, target: /data}]
    probe: {kind: command, command: [true]}
)",
     "t.yaml:10: services.b.volumes[0].name", "volume data is already a's"},
    {"bad service name", R"(services:
  Web_Server:
    group: core
    image: busybox:1.36
    probe: {kind: command, command: [true]}
)",
     "t.yaml:3: services.Web_Server", "lower-case letters, digits and '-'"},
    {"not YAML", "services:\n  web: [unclosed\n", "t.yaml:3", "not valid YAML"},
};

class StackValidation : public ::testing::TestWithParam<BadCase> {};

TEST_P(StackValidation, NamesFileLineAndKey) {
    const BadCase& c = GetParam();
    try {
        parse_stack(c.yaml, "t.yaml");
        FAIL() << c.what << ": accepted";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage) << c.what;
        const std::string message = e.what();
        EXPECT_TRUE(message.starts_with(std::string(c.location) + ":")) << c.what << ": " << message;
        EXPECT_NE(message.find(c.problem), std::string::npos) << c.what << ": " << message;
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, StackValidation, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<BadCase>& param_info) {
                             std::string name;
                             for (const char* p = param_info.param.what; *p; ++p)
                                 name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
                             return name;
                         });

TEST(StackValidationBaseline, TheValidStackTheCasesBreakIsAccepted) {
    const auto stack = parse_stack(kValid, "t.yaml");
    ASSERT_EQ(stack.services.size(), 1u);
    EXPECT_EQ(stack.services[0].ports[0].variable, "WEB_PORT");
    EXPECT_EQ(stack.profile_services("full"), std::vector<std::string>{"web"});
}

}  // namespace
