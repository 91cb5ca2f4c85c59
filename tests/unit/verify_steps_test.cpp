// verify's declared steps against real servers where this machine has them (redis-server, PostgreSQL) and test
// servers elsewhere: what each step sends, what it expects, values captured for later steps, cleanup after a failed
// and a timed-out check (nothing envctl-verify-* left, proven by redis-cli), and secrets redacted in the reports.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "envctl/descriptors/verify_step.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/verify/report.hpp"
#include "envctl/verify/runner.hpp"
#include "envctl/verify/steps.hpp"
#include "support/fake_clock.hpp"
#include "support/http_test_server.hpp"
#include "support/pg_cluster.hpp"
#include "support/redis_test_server.hpp"
#include "support/tcp_test_listener.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;

namespace {

// One check of service `web` (ports WEB_PORT, WEB_DB_PORT, WEB_REDIS_PORT) from its `verify:` YAML.
descriptors::VerifyCheck declared(const std::string& yaml) {
    const std::string stack = R"(mode: replace
services:
  web:
    group: core
    image: busybox:1.36
    ports:
      - {variable: WEB_PORT, container: 8080}
      - {variable: WEB_DB_PORT, container: 5432}
      - {variable: WEB_REDIS_PORT, container: 6379}
    probe: {kind: tcp, port_variable: WEB_PORT}
    verify:
)" + yaml;
    return descriptors::parse_verify_checks(stack, "t.yaml").at("web").at(0);
}

struct Env {
    settings::Settings settings;
    StepEnv env() {
        StepEnv e;
        e.settings = &settings;
        e.service = "web";
        return e;
    }
    void set(const std::string& name, const std::string& value) { settings.vars.set(name, value, {}); }
};

Deadline soon() { return Clock::now() + 5s; }

// redis-cli, the official client: the keys matching `pattern`.
std::string redis_keys(int port, const std::string& pattern) {
    subprocess::Spec spec;
    spec.argv = {"redis-cli", "-p", std::to_string(port), "--scan", "--pattern", pattern};
    spec.timeout = 5s;
    auto r = subprocess::run(spec);
    EXPECT_TRUE(r.ok()) << r.describe();
    return r.out;
}

}  // namespace

TEST(VerifySteps, HttpSendsMethodHeadersAndBodyAndCapturesAValueForALaterStep) {
    test::HttpTestServer server;
    server.script({{200, R"({"id": "abc", "data": {"version": 1, "state": "up"}})"}, {204, ""}});
    Env e;
    e.set("WEB_PORT", std::to_string(server.port()));
    e.set("APP_TOKEN", "token-from-settings");
    const auto check = declared(R"(      - name: round trip
        category: security
        steps:
          - kind: http
            method: POST
            path: /items/${VERIFY_ID}
            headers: {X-App-Token: "${APP_TOKEN}"}
            body: '{"name": "${VERIFY_ID}"}'
            expect_json: {/data/version: "1", /data/state: up}
            capture: {ITEM_ID: /id}
          - {kind: http, method: DELETE, path: "/items/${ITEM_ID}", expect_status: [204]}
)");
    const auto outcome = run_declared(check, e.env(), soon(), 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    const auto requests = server.received();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "POST");
    ASSERT_TRUE(requests[0].path.starts_with("/items/envctl-verify-")) << requests[0].path;
    const std::string id = requests[0].path.substr(7);
    EXPECT_EQ(requests[0].header("X-App-Token"), "token-from-settings");
    EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
    EXPECT_EQ(requests[0].body, R"({"name": ")" + id + R"("})");
    EXPECT_EQ(requests[1].method, "DELETE");
    EXPECT_EQ(requests[1].path, "/items/abc");
}

TEST(VerifySteps, HttpFailsNamingTheStepThePointerAndWhatItFound) {
    test::HttpTestServer server;
    server.script({{200, R"({"status": "down"})"}});
    Env e;
    e.set("WEB_PORT", std::to_string(server.port()));
    auto outcome = run_declared(declared(R"(      - name: health
        category: dapr
        steps:
          - {kind: http, path: /healthz}
          - {kind: http, path: /healthz, expect_json: {/status: up}}
)"),
                                e.env(), soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("step 2 (http): GET /healthz: /status is down (expected up)"), std::string::npos)
        << outcome.detail;
    server.script({{503, "starting"}});
    outcome = run_declared(declared("      - {name: h, category: dapr, steps: [{kind: http, path: /healthz}]}\n"), e.env(),
                           soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("HTTP 503 (expected 200): starting"), std::string::npos) << outcome.detail;
}

TEST(VerifySteps, RedisRoundTripOnARealServerLeavesNoKey) {
    std::string why_not;
    auto redis = test::RedisTestServer::start(why_not);
    REQUIRE_PREREQUISITE(redis != nullptr, "redis-server: " + why_not);
    Env e;
    e.set("WEB_REDIS_PORT", std::to_string(redis->port()));
    const auto check = declared(R"(      - name: state store
        category: dapr
        steps:
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [SET, "${VERIFY_ID}", value-1], expect_reply: OK}
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [GET, "${VERIFY_ID}"], expect_reply: value-1}
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [EXISTS, "${VERIFY_ID}"], expect_reply: "1"}
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [DEL, "${VERIFY_ID}"], expect_reply: "1"}
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [GET, "${VERIFY_ID}"], expect_reply: (nil)}
)");
    const auto outcome = run_declared(check, e.env(), soon(), 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_EQ(redis_keys(redis->port(), "envctl-verify-*"), "");
}

TEST(VerifySteps, CleanupRunsAfterAFailedStep) {
    std::string why_not;
    auto redis = test::RedisTestServer::start(why_not);
    REQUIRE_PREREQUISITE(redis != nullptr, "redis-server: " + why_not);
    Env e;
    e.set("WEB_REDIS_PORT", std::to_string(redis->port()));
    const auto check = declared(R"(      - name: state store
        category: dapr
        steps:
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [SET, "${VERIFY_ID}", v], expect_reply: OK}
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [GET, "${VERIFY_ID}"], expect_reply: other}
        cleanup:
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [DEL, "${VERIFY_ID}"]}
)");
    const auto outcome = run_declared(check, e.env(), soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("step 2 (redis): GET: replied v (expected other)"), std::string::npos) << outcome.detail;
    EXPECT_EQ(redis_keys(redis->port(), "envctl-verify-*"), "");
}

TEST(VerifySteps, CleanupRunsAfterACheckTimedOutInTheRunner) {
    std::string why_not;
    auto redis = test::RedisTestServer::start(why_not);
    REQUIRE_PREREQUISITE(redis != nullptr, "redis-server: " + why_not);
    test::HttpTestServer hanging;
    hanging.script({{200, "late", 30s}});
    Env e;
    e.set("WEB_REDIS_PORT", std::to_string(redis->port()));
    e.set("WEB_PORT", std::to_string(hanging.port()));
    const auto check = declared(R"(      - name: slow
        category: dapr
        steps:
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [SET, "${VERIFY_ID}", v], expect_reply: OK}
          - {kind: http, path: /hangs}
        cleanup:
          - {kind: redis, port_variable: WEB_REDIS_PORT, command: [DEL, "${VERIFY_ID}"], expect_reply: "1"}
)");
    auto env = std::make_shared<Env>(std::move(e));
    Check c{"dapr", "web", "slow", [env, check](Deadline d) { return run_declared(check, env->env(), d, 2s); }, ""};
    test::FakeClock clock;
    RunOptions options;
    options.category_timeout = 300ms;
    options.cleanup_grace = 10s;  // the check's own cleanup ends well before (its step ends at its deadline)
    const auto report = run_checks({c}, options, clock);
    ASSERT_EQ(report.checks.size(), 1u);
    EXPECT_EQ(report.checks[0].status, Status::timeout);
    EXPECT_EQ(hanging.requests(), 1);
    EXPECT_EQ(redis_keys(redis->port(), "envctl-verify-*"), "");
}

TEST(VerifySteps, SqlComparesRowsAndSqlstateOnARealServer) {
    REQUIRE_PG_CLUSTER(pg);
    Env e;
    e.set("WEB_DB_PORT", std::to_string(pg->port()));
    e.set("PG_USER", pg->superuser());
    e.set("PG_PASSWORD", pg->password());
    const auto ok = declared(R"(      - name: sql
        category: migrations
        steps:
          - {kind: sql, port_variable: WEB_DB_PORT, user: "${PG_USER}", password_variable: PG_PASSWORD,
             database: postgres, statement: "SELECT 1, NULL::text", expect_rows: [["1", ~]]}
          - {kind: sql, port_variable: WEB_DB_PORT, user: "${PG_USER}", password_variable: PG_PASSWORD,
             database: postgres, statement: SELECT 1/0, expect_sqlstate: "22012"}
)");
    auto outcome = run_declared(ok, e.env(), soon(), 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_NE(outcome.detail.find("refused with SQLSTATE 22012 as expected"), std::string::npos) << outcome.detail;

    const auto wrong = declared(R"(      - name: sql
        category: migrations
        steps:
          - {kind: sql, port_variable: WEB_DB_PORT, user: "${PG_USER}", password_variable: PG_PASSWORD,
             database: postgres, statement: SELECT 2, expect_rows: [["1"]]}
)");
    outcome = run_declared(wrong, e.env(), soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("rows [[2]] (expected [[1]])"), std::string::npos) << outcome.detail;
    EXPECT_EQ(outcome.detail.find(pg->password()), std::string::npos);
}

TEST(VerifySteps, CommandRunsInTheServicesContainer) {
    Env e;
    auto env = e.env();
    std::vector<std::string> ran;
    env.exec = [&](const std::string& service, const std::vector<std::string>& argv, Deadline) {
        ran.push_back(service + ":" + argv.at(0) + " " + argv.at(1));
        return engine::ExecResult{argv.at(1) == "ok" ? 0 : 3, "hello from " + argv.at(1), false};
    };
    auto outcome = run_declared(declared(R"(      - name: worker
        category: environment
        steps:
          - {kind: command, command: [probe, ok], expect_output: hello}
          - {kind: command, command: [probe, bad]}
)"),
                                env, soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("step 2 (command): probe: exit code 3 (expected 0): hello from bad"), std::string::npos)
        << outcome.detail;
    EXPECT_EQ(ran, (std::vector<std::string>{"web:probe ok", "web:probe bad"}));
}

TEST(VerifySteps, ConnectFromTheHostToAPublishedPort) {
    test::TcpTestListener listener;
    Env e;
    e.set("WEB_PORT", std::to_string(listener.port()));
    e.set("WEB_DB_PORT", std::to_string(test::free_port()));
    auto outcome = run_declared(declared("      - {name: grpc, category: dapr, steps: [{kind: connect, port_variable: WEB_PORT}]}\n"),
                                e.env(), soon(), 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    // The listener's thread counts the connection on its own schedule (bounded wait).
    for (int i = 0; i < 500 && listener.accepted() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_GE(listener.accepted(), 1);
    outcome = run_declared(declared("      - {name: grpc, category: dapr, steps: [{kind: connect, port_variable: WEB_DB_PORT}]}\n"),
                           e.env(), soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("WEB_DB_PORT"), std::string::npos) << outcome.detail;
}

TEST(VerifySteps, ConnectFromInsideTheNetworkAsksForEachContainerPort) {
    Env e;
    auto env = e.env();
    std::vector<std::string> asked;
    env.tcp_ports = [](const std::string&) { return std::vector<int>{8080, 5432}; };
    env.connect = [&](const std::vector<ConnectTarget>& targets, Deadline) {
        ConnectRun run;
        for (const auto& t : targets) {
            asked.push_back(t.service + ":" + std::to_string(t.port));
            run.answered[t.service + ":" + std::to_string(t.port)] = t.port == 8080;
        }
        return run;
    };
    auto outcome = run_declared(declared("      - {name: c, category: environment, steps: [{kind: connect}]}\n"), env, soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("web:5432 did not answer"), std::string::npos) << outcome.detail;
    EXPECT_EQ(asked, (std::vector<std::string>{"web:8080", "web:5432"}));
}

TEST(VerifySteps, SecretsAreRedactedInReportsAndCapturedSecretsJoinTheRedactor) {
    test::HttpTestServer server;
    server.script({{200, R"({"token": "captured-secret-token", "echo": "settings-secret-value"})"}});
    Env e;
    e.set("WEB_PORT", std::to_string(server.port()));
    e.set("API_TOKEN", "settings-secret-value");
    const auto check = declared(R"(      - name: login
        category: security
        steps:
          - kind: http
            headers: {Authorization: "Bearer ${API_TOKEN}"}
            capture: {SESSION_TOKEN: /token}
          - {kind: http, headers: {Authorization: "Bearer ${SESSION_TOKEN}"}, expect_json: {/echo: "${SESSION_TOKEN}"}}
)");
    const auto outcome = run_declared(check, e.env(), soon(), 2s);
    ASSERT_FALSE(outcome.ok);
    const auto requests = server.received();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].header("Authorization"), "Bearer settings-secret-value");
    EXPECT_EQ(requests[1].header("Authorization"), "Bearer captured-secret-token");
    // The detail names what was found (the settings' secret) and expected (the captured one): both redacted.
    EXPECT_NE(outcome.detail.find("settings-secret-value"), std::string::npos);
    Report report;
    report.project = "p";
    report.checks.push_back({"security", "web", "login", Status::fail, 1ms, outcome.detail});
    report.categories.push_back({"security", 0, 1, 0, 0, 1ms});
    Redactor redactor;
    redactor.add_secrets_from(e.settings.vars.all());
    const auto junit = to_junit(report, redactor);
    EXPECT_EQ(junit.find("settings-secret-value"), std::string::npos) << junit;
    EXPECT_NE(junit.find("***"), std::string::npos) << junit;
    EXPECT_EQ(Redactor::global().redact(outcome.detail).find("captured-secret-token"), std::string::npos);
}

TEST(VerifySteps, HttpQueryBasicAuthAndRegexExpectationsWithTheRunsValues) {
    test::HttpTestServer server;
    server.script({{200, R"({"line": "kind=audit id=envctl-verify-0123456789ab done"})"}});
    Env e;
    e.set("WEB_PORT", std::to_string(server.port()));
    e.set("WEB_ADMIN_PASSWORD", "p@ss word");
    const auto check = declared(R"(      - name: query
        category: observability
        steps:
          - kind: http
            path: /search
            query: {q: '{a="b"} |= "${VERIFY_ID}"', start: "${VERIFY_WINDOW_START_MS}", trace: "${VERIFY_TRACE_ID}"}
            basic_auth: {user: admin, password_variable: WEB_ADMIN_PASSWORD}
            expect_json_match: {/line: "id=envctl-verify-[0-9a-f]{12} "}
)");
    const auto outcome = run_declared(check, e.env(), soon(), 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    const auto r = server.received().at(0);
    // Query values percent-encoded (RFC 3986 unreserved characters kept), in the declared order.
    EXPECT_TRUE(std::regex_match(r.path, std::regex(R"(/search\?q=%7Ba%3D%22b%22%7D%20%7C%3D%20%22envctl-verify-[0-9a-f]{12}%22)"
                                                    R"(&start=[0-9]{13}&trace=[0-9a-f]{32})")))
        << r.path;
    EXPECT_EQ(r.header("Authorization"), "Basic YWRtaW46cEBzcyB3b3Jk");  // admin:p@ss word (RFC 7617)

    server.script({{200, R"({"line": "something else"})"}});
    const auto failed = run_declared(check, e.env(), soon(), 2s);
    EXPECT_FALSE(failed.ok);
    EXPECT_NE(failed.detail.find("GET /search: /line is something else (expected to match id=envctl-verify-[0-9a-f]{12} )"),
              std::string::npos)
        << failed.detail;
}

TEST(VerifySteps, RetryForRepeatsAFailingStepUntilItPassesWithinItsWindow) {
    test::HttpTestServer server;
    server.script({{404, "not yet"}, {404, "not yet"}, {200, "{}"}});
    Env e;
    e.set("WEB_PORT", std::to_string(server.port()));
    auto outcome = run_declared(declared("      - {name: r, category: observability, steps: [{kind: http, path: /t, retry_for: 3s}]}\n"),
                                e.env(), soon(), 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_EQ(server.requests(), 3);
    EXPECT_NE(outcome.detail.find("(attempt 3, retried for 3s)"), std::string::npos) << outcome.detail;
    // Without retry_for a step runs once.
    test::HttpTestServer once;
    once.script({{404, "not yet"}, {200, "{}"}});
    e.set("WEB_PORT", std::to_string(once.port()));
    outcome = run_declared(declared("      - {name: r, category: observability, steps: [{kind: http, path: /t}]}\n"), e.env(), soon(), 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(once.requests(), 1);
}

TEST(VerifySteps, RunValuesAreFreshPerRunAndShapedForOtlpAndQueries) {
    const auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'800'000'000'123LL));
    const auto v = verify_run_values("envctl-verify-0123456789ab", now);
    EXPECT_EQ(v.at("VERIFY_ID"), "envctl-verify-0123456789ab");
    EXPECT_TRUE(std::regex_match(v.at("VERIFY_TRACE_ID"), std::regex("[0-9a-f]{20}0123456789ab"))) << v.at("VERIFY_TRACE_ID");
    EXPECT_TRUE(std::regex_match(v.at("VERIFY_SPAN_ID"), std::regex("[0-9a-f]{16}")));
    EXPECT_EQ(v.at("VERIFY_NOW_S"), "1800000000");
    EXPECT_EQ(v.at("VERIFY_NOW_MS"), "1800000000123");
    EXPECT_EQ(v.at("VERIFY_NOW_NS"), "1800000000123000000");
    EXPECT_EQ(v.at("VERIFY_WINDOW_START_MS"), "1799996400123");
    EXPECT_EQ(v.at("VERIFY_WINDOW_END_MS"), "1800003600123");
    EXPECT_NE(verify_run_values("x", now).at("VERIFY_SPAN_ID"), v.at("VERIFY_SPAN_ID"));
}
