// Descriptor `verify:` checks: read by the one stack parser (a stack file adds checks to its own services) and
// validated the same way: every error names the file, the line and the key.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/verify_step.hpp"

using envctl::descriptors::parse_stack;
using envctl::descriptors::StepKind;

namespace {

// Two ports and a valid `verify:`; the cases below append one bad check after line 9.
const std::string kHead = R"(mode: replace
services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 8080}
      - {variable: WEB_DB_PORT, container: 5432}
    probe: {kind: tcp, port_variable: WEB_PORT}
    verify:
)";

struct BadCase {
    const char* what;
    const char* checks;    // the `verify:` list, starting at line 11
    const char* location;  // "<file>:<line>: <key path>"
    const char* problem;
};

const BadCase kCases[] = {
    {"unknown check key", "      - {name: a, category: dapr, steps: [{kind: connect}], colour: red}\n",
     "t.yaml:11: services.web.verify[0].colour", "unknown key"},
    {"missing steps", "      - {name: a, category: dapr}\n", "t.yaml:11: services.web.verify[0]", "needs `steps`"},
    {"unknown category", "      - {name: a, category: network, steps: [{kind: connect}]}\n",
     "t.yaml:11: services.web.verify[0].category", "one of environment, migrations, dapr"},
    {"duplicate check name",
     "      - {name: a, category: dapr, steps: [{kind: connect}]}\n      - {name: a, category: dapr, steps: [{kind: connect}]}\n",
     "t.yaml:12: services.web.verify[1].name", "another check of this service is named \"a\""},
    {"unknown step kind", "      - name: a\n        category: dapr\n        steps:\n          - {kind: ftp}\n",
     "t.yaml:14: services.web.verify[0].steps[0].kind", "one of http, sql, redis, connect, command"},
    {"key of another kind", "      - name: a\n        category: dapr\n        steps:\n          - {kind: redis, command: [PING], expect_status: [200]}\n",
     "t.yaml:14: services.web.verify[0].steps[0].expect_status", "only http steps take `expect_status`"},
    {"port not the service's", "      - name: a\n        category: dapr\n        steps:\n          - {kind: http, port_variable: OTHER_PORT}\n",
     "t.yaml:14: services.web.verify[0].steps[0].port_variable", "OTHER_PORT is not among this service's ports"},
    {"literal credential header",
     "      - name: a\n        category: security\n        steps:\n          - kind: http\n            headers: {X-Vault-Token: s.abc123}\n",
     "t.yaml:15: services.web.verify[0].steps[0].headers.X-Vault-Token", "only as a ${VARIABLE} reference"},
    {"literal bearer token",
     "      - name: a\n        category: security\n        steps:\n          - kind: http\n            headers: {Authorization: Bearer abc}\n",
     "t.yaml:15: services.web.verify[0].steps[0].headers.Authorization", "only as a ${VARIABLE} reference"},
    {"bad JSON pointer",
     "      - name: a\n        category: dapr\n        steps:\n          - kind: http\n            expect_json: {status: ok}\n",
     "t.yaml:15: services.web.verify[0].steps[0].expect_json.status", "a JSON pointer starts with '/'"},
    {"bad capture name",
     "      - name: a\n        category: dapr\n        steps:\n          - kind: http\n            capture: {token: /id}\n",
     "t.yaml:15: services.web.verify[0].steps[0].capture.token", "upper-case letters"},
    {"sql without password variable",
     "      - name: a\n        category: migrations\n        steps:\n          - {kind: sql, user: u, database: d, statement: SELECT 1}\n",
     "t.yaml:14: services.web.verify[0].steps[0]", "needs `password_variable`"},
    {"sql with both expectations",
     "      - name: a\n        category: migrations\n        steps:\n          - kind: sql\n            user: u\n"
     "            password_variable: P\n            database: d\n            statement: SELECT 1\n"
     "            expect_rows: [[1]]\n            expect_sqlstate: 42501\n",
     "t.yaml:20: services.web.verify[0].steps[0].expect_sqlstate", "either `expect_rows` or `expect_sqlstate`"},
    {"bad sqlstate",
     "      - name: a\n        category: migrations\n        steps:\n          - kind: sql\n            user: u\n"
     "            password_variable: P\n            database: d\n            statement: SELECT 1\n            expect_sqlstate: denied\n",
     "t.yaml:19: services.web.verify[0].steps[0].expect_sqlstate", "five digits or capitals"},
    {"redis without command", "      - name: a\n        category: dapr\n        steps:\n          - {kind: redis}\n",
     "t.yaml:14: services.web.verify[0].steps[0]", "a redis step needs `command`"},
    {"bad variable reference",
     "      - name: a\n        category: dapr\n        steps:\n          - {kind: redis, command: [GET, \"${lower}\"]}\n",
     "t.yaml:14: services.web.verify[0].steps[0].command[1]", "upper-case letters"},
    {"connect both ways",
     "      - name: a\n        category: dapr\n        steps:\n          - {kind: connect, port_variable: WEB_PORT, port: 80}\n",
     "t.yaml:14: services.web.verify[0].steps[0].port_variable", "not both"},
    {"retry_for too long",
     "      - name: a\n        category: dapr\n        steps:\n          - {kind: connect, retry_for: 5m}\n",
     "t.yaml:14: services.web.verify[0].steps[0].retry_for", "at most 1m"},
    {"query on a redis step",
     "      - name: a\n        category: dapr\n        steps:\n          - {kind: redis, command: [PING], query: {a: b}}\n",
     "t.yaml:14: services.web.verify[0].steps[0].query", "only http steps take `query`"},
    {"basic_auth without password variable",
     "      - name: a\n        category: security\n        steps:\n          - kind: http\n            basic_auth: {user: admin}\n",
     "t.yaml:15: services.web.verify[0].steps[0].basic_auth", "needs `user` and `password_variable`"},
    {"basic_auth and an Authorization header",
     "      - name: a\n        category: security\n        steps:\n          - kind: http\n"
     "            basic_auth: {user: admin, password_variable: P}\n            headers: {Authorization: \"Bearer ${T}\"}\n",
     "t.yaml:15: services.web.verify[0].steps[0].basic_auth", "not both"},
    {"bad regular expression",
     "      - name: a\n        category: dapr\n        steps:\n          - kind: http\n            expect_json_match: {/id: \"(unclosed\"}\n",
     "t.yaml:15: services.web.verify[0].steps[0].expect_json_match./id", "not a regular expression"},
    {"bad reference in a query value",
     "      - name: a\n        category: dapr\n        steps:\n          - kind: http\n            query: {q: \"${lower}\"}\n",
     "t.yaml:15: services.web.verify[0].steps[0].query.q", "upper-case letters"},
    {"bad cleanup step", "      - name: a\n        category: dapr\n        steps: [{kind: connect}]\n        cleanup:\n          - {kind: command}\n",
     "t.yaml:15: services.web.verify[0].cleanup[0]", "a command step needs `command`"},
};

class VerifyDescriptorValidation : public ::testing::TestWithParam<BadCase> {};

TEST_P(VerifyDescriptorValidation, NamesFileLineAndKey) {
    const auto& c = GetParam();
    try {
        parse_stack(kHead + c.checks, "t.yaml");
        FAIL() << c.what << ": accepted";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage) << c.what;
        const std::string message = e.what();
        EXPECT_TRUE(message.starts_with(std::string(c.location) + ":")) << c.what << ": " << message;
        EXPECT_NE(message.find(c.problem), std::string::npos) << c.what << ": " << message;
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, VerifyDescriptorValidation, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<BadCase>& param_info) {
                             std::string name;
                             for (char ch : std::string(param_info.param.what)) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                             return name;
                         });

}  // namespace

TEST(VerifyDescriptor, EveryStepKindIsRead) {
    const auto declared = envctl::descriptors::parse_verify_checks(kHead + R"(      - name: round trip
        category: security
        steps:
          - kind: http
            method: POST
            path: /v1/secret/data/${VERIFY_ID}
            headers: {X-Vault-Token: "${VAULT_TOKEN}", Accept: application/json}
            body: '{"data": {"v": 1}}'
            expect_status: [200, 204]
            expect_json: {/data/version: "1"}
            capture: {SECRET_VERSION: /data/version}
          - {kind: sql, port_variable: WEB_DB_PORT, user: "${DB_USER}", password_variable: DB_PASSWORD, database: app,
             statement: SELECT 1, expect_rows: [["1", ~]]}
          - {kind: redis, command: [SET, "${VERIFY_ID}", v], expect_reply: OK}
          - {kind: connect, service: web, port: 8080}
          - {kind: connect, port_variable: WEB_PORT}
          - {kind: command, command: [cat, /etc/hostname], expect_exit: 0, expect_output: web}
        cleanup:
          - {kind: redis, command: [DEL, "${VERIFY_ID}"]}
)", "t.yaml");
    const auto& checks = declared.at("web");
    ASSERT_EQ(checks.size(), 1u);
    const auto& c = checks[0];
    EXPECT_EQ(c.name, "round trip");
    EXPECT_EQ(c.category, "security");
    ASSERT_EQ(c.steps.size(), 6u);
    const auto& http = c.steps[0];
    EXPECT_EQ(http.kind, StepKind::http);
    EXPECT_EQ(http.line, 14);
    EXPECT_EQ(http.port_variable, "WEB_PORT");  // the first tcp port by default
    EXPECT_EQ(http.method, "POST");
    EXPECT_EQ(http.headers.size(), 2u);
    EXPECT_EQ((std::vector<int>{200, 204}), http.expect_status);
    EXPECT_EQ(http.expect_json.at(0).first, "/data/version");
    EXPECT_EQ(http.capture.at(0).first, "SECRET_VERSION");
    const auto& sql = c.steps[1];
    EXPECT_EQ(sql.port_variable, "WEB_DB_PORT");
    ASSERT_TRUE(sql.expect_rows);
    EXPECT_EQ((std::vector<std::vector<std::string>>{{"1", "~"}}), *sql.expect_rows);
    EXPECT_EQ(c.steps[2].expect_reply.value_or(""), "OK");
    EXPECT_EQ(c.steps[3].service, "web");
    EXPECT_EQ(c.steps[3].port, 8080);
    EXPECT_EQ(c.steps[4].port_variable, "WEB_PORT");
    EXPECT_EQ(c.steps[5].expect_output, "web");
    ASSERT_EQ(c.cleanup.size(), 1u);
    EXPECT_EQ(c.cleanup[0].command, (std::vector<std::string>{"DEL", "${VERIFY_ID}"}));
}

TEST(VerifyDescriptor, AStackFileAddsChecksToItsOwnServices) {
    const auto declared = envctl::descriptors::parse_verify_checks(R"(services:
  extra:
    group: core
    image: busybox:1.36
    probe: {kind: command, command: [true]}
    verify:
      - name: alive
        category: environment
        steps: [{kind: command, command: [true]}]
)", "mine.yaml");
    ASSERT_EQ(declared.at("extra").size(), 1u);
    EXPECT_EQ(declared.at("extra")[0].steps[0].kind, StepKind::command);
}
