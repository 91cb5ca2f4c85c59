// The observability category's declared checks (grafana, mimir, loki, tempo, pyroscope, grafana-agent: none can run
// here) against test servers that implement the documented upstream APIs for exactly the calls used, each keeping
// what was written so the read-back only passes when envctl wrote what the API documents:
// - Loki: POST /loki/api/v1/push (JSON: streams[].stream labels, values [["<ns>", "<line>"]]), 204; GET
//   /loki/api/v1/query_range?query=<LogQL>&start&end&limit (stream selector and a `|=` line filter).
// - Tempo: OTLP/HTTP JSON POST /v1/traces (resourceSpans, hex traceId/spanId) on the OTLP port; GET
//   /api/traces/<hex id> on the API port ({"batches": [...]}; 404 until the trace is there).
// - Mimir: OTLP/HTTP JSON POST /otlp/v1/metrics (resourceMetrics, gauge dataPoints); GET
//   /prometheus/api/v1/query?query=<PromQL> (an instant vector selector, max()).
// - Pyroscope: POST /ingest?name=<app>{labels}&from&until&format=folded (body "stack count"); POST
//   /querier.v1.QuerierService/LabelValues (Connect JSON {"name", "matchers", "start", "end"} -> {"names"}).
// - Grafana: GET /api/health; GET /api/datasources/uid/<uid>/health with Basic authentication.
// - Alloy: GET /-/ready.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "envctl/descriptors/verify_step.hpp"
#include "envctl/verify/steps.hpp"
#include "support/builtin_checks.hpp"
#include "support/http_test_server.hpp"
#include "support/test_paths.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;
using envctl::test::builtin_check;
using nlohmann::json;

namespace {

std::string url_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

std::map<std::string, std::string> query_of(const std::string& target) {
    std::map<std::string, std::string> out;
    const auto q = target.find('?');
    if (q == std::string::npos) return out;
    std::stringstream parts(target.substr(q + 1));
    for (std::string part; std::getline(parts, part, '&');) {
        const auto eq = part.find('=');
        out[url_decode(part.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(part.substr(eq + 1));
    }
    return out;
}

// `{a="b", c="d"}` (Prometheus/LogQL equality matchers) -> {a: b, c: d}; throws on anything else.
std::map<std::string, std::string> matchers(const std::string& selector) {
    static const std::regex one(R"re(\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"]*)"\s*(,|$))re");
    std::map<std::string, std::string> out;
    std::string rest = selector;
    for (std::smatch m; std::regex_search(rest, m, one) && m.position(0) == 0; rest = m.suffix()) out[m[1]] = m[2];
    if (!rest.empty()) throw std::runtime_error("not an equality selector: " + selector);
    return out;
}

bool subset(const std::map<std::string, std::string>& want, const std::map<std::string, std::string>& have) {
    for (const auto& [k, v] : want)
        if (!have.count(k) || have.at(k) != v) return false;
    return true;
}

std::map<std::string, std::string> otlp_attributes(const json& list) {
    std::map<std::string, std::string> out;
    for (const auto& a : list) out[a.at("key").get<std::string>()] = a.at("value").at("stringValue").get<std::string>();
    return out;
}

struct Env {
    settings::Settings settings;
    StepEnv env(const std::string& service) {
        StepEnv e;
        e.settings = &settings;
        e.service = service;
        return e;
    }
    void set(const std::string& name, const std::string& value) { settings.vars.set(name, value, {}); }
};

test::ScriptedReply bad(const std::string& why) { return {400, json{{"status", "error"}, {"error", why}}.dump()}; }

}  // namespace

TEST(VerifyObservability, LokiPushesAnAuditEventAndFindsItWithLogQL) {
    test::HttpTestServer loki;
    struct Entry {
        std::map<std::string, std::string> labels;
        std::string ts, line;
    };
    std::vector<Entry> stored;
    loki.script([&](int) {
        const auto r = loki.received().back();
        if (r.method == "POST" && r.path == "/loki/api/v1/push") {
            if (r.header("Content-Type") != "application/json") return bad("push is snappy protobuf unless Content-Type says JSON");
            const auto body = json::parse(r.body);
            for (const auto& stream : body.at("streams"))
                for (const auto& v : stream.at("values")) {
                    const auto ts = v.at(0).get<std::string>();
                    if (ts.find_first_not_of("0123456789") != std::string::npos || ts.size() < 19) return bad("ts is not Unix nanoseconds");
                    stored.push_back({stream.at("stream").get<std::map<std::string, std::string>>(), ts, v.at(1).get<std::string>()});
                }
            return test::ScriptedReply{204, ""};
        }
        if (r.method == "GET" && path_of(r.path) == "/loki/api/v1/query_range") {
            const auto q = query_of(r.path);
            static const std::regex logql(R"re(\{(.*)\}\s*\|=\s*"([^"]*)")re");
            std::smatch m;
            if (!q.count("query") || !std::regex_match(q.at("query"), m, logql)) return bad("unsupported LogQL");
            const auto want = matchers(m[1]);
            const std::string filter = m[2];
            const auto start = q.count("start") ? q.at("start") : "0", end = q.count("end") ? q.at("end") : "9";
            json result = json::array();
            for (const auto& e : stored)
                if (subset(want, e.labels) && e.line.find(filter) != std::string::npos && e.ts.size() == start.size() &&
                    start <= e.ts && e.ts <= end)
                    result.push_back({{"stream", e.labels}, {"values", json::array({json::array({e.ts, e.line})})}});
            return test::ScriptedReply{200, json{{"status", "success"}, {"data", {{"resultType", "streams"}, {"result", result}}}}.dump()};
        }
        return test::ScriptedReply{404, "404 page not found"};
    });
    Env e;
    e.set("LOKI_PORT", std::to_string(loki.port()));
    const auto outcome = run_declared(builtin_check("loki", "push and logql"), e.env("loki"), Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].labels, (std::map<std::string, std::string>{{"source", "envctl"}, {"kind", "audit"}, {"envctl_verify", "true"}}));
    EXPECT_TRUE(std::regex_search(stored[0].line, std::regex("kind=audit event=verify id=envctl-verify-[0-9a-f]{12} "))) << stored[0].line;
    const auto requests = loki.received();
    ASSERT_EQ(requests.size(), 2u);
    const auto q = query_of(requests[1].path);
    EXPECT_EQ(q.at("limit"), "1");
    EXPECT_NE(q.at("query").find("envctl_verify=\"true\""), std::string::npos);

    // Loki that keeps nothing: the query finds no line and the check fails saying so (after its retries).
    test::HttpTestServer empty;
    empty.script([&](int) {
        const auto r = empty.received().back();
        if (r.method == "POST") return test::ScriptedReply{204, ""};
        return test::ScriptedReply{200, R"({"status": "success", "data": {"resultType": "streams", "result": []}})"};
    });
    e.set("LOKI_PORT", std::to_string(empty.port()));
    const auto failed = run_declared(builtin_check("loki", "push and logql"), e.env("loki"), Clock::now() + 8s, 2s);
    EXPECT_FALSE(failed.ok);
    EXPECT_NE(failed.detail.find("step 2 (http): GET /loki/api/v1/query_range: the response has no /data/result/0/stream/kind"),
              std::string::npos)
        << failed.detail;
    EXPECT_GE(empty.requests(), 3) << "retried";
}

TEST(VerifyObservability, TempoReceivesAnOtlpSpanAndReturnsItsTraceById) {
    test::HttpTestServer otlp, api;
    std::mutex mutex;
    std::map<std::string, json> traces;  // hex id -> resourceSpans
    int lookups = 0;
    otlp.script([&](int) {
        const auto r = otlp.received().back();
        if (r.method != "POST" || r.path != "/v1/traces") return test::ScriptedReply{404, ""};
        if (r.header("Content-Type") != "application/json") return test::ScriptedReply{415, "unsupported content type"};
        const auto body = json::parse(r.body);
        std::lock_guard<std::mutex> lock(mutex);
        for (const auto& rs : body.at("resourceSpans"))
            for (const auto& ss : rs.at("scopeSpans"))
                for (const auto& span : ss.at("spans")) {
                    const auto id = span.at("traceId").get<std::string>();
                    // OTLP/JSON: trace and span ids are hex, not base64.
                    if (!std::regex_match(id, std::regex("[0-9a-f]{32}")) ||
                        !std::regex_match(span.at("spanId").get<std::string>(), std::regex("[0-9a-f]{16}")))
                        return test::ScriptedReply{400, "invalid trace or span id"};
                    traces[id] = {{"resource", rs.at("resource")}, {"scopeSpans", rs.at("scopeSpans")}};
                }
        return test::ScriptedReply{200, "{}"};
    });
    api.script([&](int) {
        const auto r = api.received().back();
        const std::string prefix = "/api/traces/";
        if (r.method != "GET" || !r.path.starts_with(prefix)) return test::ScriptedReply{404, ""};
        std::lock_guard<std::mutex> lock(mutex);
        // The first lookup comes before the trace is flushed to the queriers: 404, as Tempo answers a missing trace.
        if (++lookups == 1 || !traces.count(r.path.substr(prefix.size()))) return test::ScriptedReply{404, "trace not found"};
        return test::ScriptedReply{200, json{{"batches", {traces[r.path.substr(prefix.size())]}}}.dump()};
    });
    Env e;
    e.set("TEMPO_PORT", std::to_string(api.port()));
    e.set("TEMPO_OTLP_PORT", std::to_string(otlp.port()));
    const auto outcome = run_declared(builtin_check("tempo", "otlp span and trace by id"), e.env("tempo"), Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_NE(outcome.detail.find("(attempt 2"), std::string::npos) << outcome.detail;
    ASSERT_EQ(traces.size(), 1u);
    const auto& [id, trace] = *traces.begin();
    const auto resource = otlp_attributes(trace.at("resource").at("attributes"));
    EXPECT_EQ(resource.at("envctl_verify"), "true");
    const auto span = trace.at("scopeSpans").at(0).at("spans").at(0);
    ASSERT_TRUE(span.at("name").get<std::string>().starts_with("envctl-verify-"));
    EXPECT_TRUE(id.ends_with(span.at("name").get<std::string>().substr(14))) << "the trace id ends in the check's id";
    EXPECT_GT(std::stoull(span.at("startTimeUnixNano").get<std::string>()), 1'700'000'000'000'000'000ULL);
    EXPECT_EQ(api.received().back().header("Accept"), "application/json");
}

TEST(VerifyObservability, MimirTakesAnOtlpGaugeAndAnswersPromQL) {
    test::HttpTestServer mimir;
    std::vector<std::map<std::string, std::string>> series;  // labels incl. __name__, value 1
    series.push_back({{"__name__", "probe_success"}, {"service", "grafana-agent"}, {"group", "observability"}});
    mimir.script([&](int) {
        const auto r = mimir.received().back();
        if (r.method == "POST" && r.path == "/otlp/v1/metrics") {
            if (r.header("Content-Type") != "application/json") return test::ScriptedReply{415, "unsupported content type"};
            const auto body = json::parse(r.body);
            for (const auto& rm : body.at("resourceMetrics"))
                for (const auto& sm : rm.at("scopeMetrics"))
                    for (const auto& m : sm.at("metrics"))
                        for (const auto& dp : m.at("gauge").at("dataPoints")) {
                            auto labels = otlp_attributes(dp.at("attributes"));
                            labels["__name__"] = m.at("name").get<std::string>();
                            if (dp.at("asDouble").get<double>() != 1.0 || dp.at("timeUnixNano").get<std::string>().size() < 19)
                                return bad("sample");
                            series.push_back(labels);
                        }
            return test::ScriptedReply{200, "{}"};
        }
        if (r.method == "GET" && path_of(r.path) == "/prometheus/api/v1/query") {
            static const std::regex selector(R"re((max\()?([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}(\))?)re");
            std::smatch m;
            const auto query = query_of(r.path)["query"];
            if (!std::regex_match(query, m, selector)) return bad("unsupported PromQL");
            auto want = matchers(m[3]);
            want["__name__"] = m[2];
            json result = json::array();
            for (const auto& s : series)
                if (subset(want, s)) result.push_back({{"metric", m[1].matched ? json::object() : json(s)}, {"value", {1.7e9, "1"}}});
            if (m[1].matched && result.size() > 1) result.erase(result.begin() + 1, result.end());
            return test::ScriptedReply{200, json{{"status", "success"}, {"data", {{"resultType", "vector"}, {"result", result}}}}.dump()};
        }
        return test::ScriptedReply{404, ""};
    });
    Env e;
    e.set("MIMIR_PORT", std::to_string(mimir.port()));
    auto outcome = run_declared(builtin_check("mimir", "otlp push and promql"), e.env("mimir"), Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    ASSERT_EQ(series.size(), 2u);
    EXPECT_EQ(series[1].at("__name__"), "envctl_verify_sample");
    EXPECT_EQ(series[1].at("envctl_verify"), "true");
    EXPECT_TRUE(series[1].at("verify_id").starts_with("envctl-verify-"));

    outcome = run_declared(builtin_check("mimir", "agent probes arrive"), e.env("mimir"), Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    series.erase(series.begin());  // no probe metrics from the agent
    outcome = run_declared(builtin_check("mimir", "agent probes arrive"), e.env("mimir"), Clock::now() + 8s, 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("the response has no /data/result/0/value/1"), std::string::npos) << outcome.detail;
}

TEST(VerifyObservability, PyroscopeIngestsAProfileAndListsItsLabel) {
    test::HttpTestServer pyroscope;
    std::vector<std::map<std::string, std::string>> profiles;
    pyroscope.script([&](int) {
        const auto r = pyroscope.received().back();
        if (r.method == "POST" && path_of(r.path) == "/ingest") {
            auto q = query_of(r.path);
            for (const char* required : {"name", "from", "until"})
                if (q[required].empty()) return test::ScriptedReply{400, std::string(required) + " is required"};
            if (q["format"] != "folded") return test::ScriptedReply{400, "format"};
            static const std::regex name(R"re(([^{]+)\{(.*)\})re"), label(R"(([a-zA-Z_][a-zA-Z0-9_]*)=([^,]*))");
            static const std::regex folded(R"(([^ \n]+) ([0-9]+)\n?)");
            std::smatch m;
            if (!std::regex_match(q["name"], m, name) || !std::regex_match(r.body, folded)) return test::ScriptedReply{400, "bad profile"};
            std::map<std::string, std::string> labels{{"service_name", m[1]}};
            const std::string inner = m[2];
            for (std::sregex_iterator it(inner.begin(), inner.end(), label), end; it != end; ++it) labels[(*it)[1]] = (*it)[2];
            profiles.push_back(labels);
            return test::ScriptedReply{200, ""};
        }
        if (r.method == "POST" && r.path == "/querier.v1.QuerierService/LabelValues") {
            if (r.header("Content-Type") != "application/json") return test::ScriptedReply{415, "connect: json or proto"};
            const auto body = json::parse(r.body);
            // proto3 JSON: int64 as a string (or a number).
            const auto start = std::stoll(body.at("start").get<std::string>()), end = std::stoll(body.at("end").get<std::string>());
            if (start >= end) return bad("range");
            std::set<std::string> names;
            for (const auto& p : profiles) {
                bool match = true;
                for (const auto& sel : body.at("matchers")) {
                    const auto s = sel.get<std::string>();
                    match = match && subset(matchers(s.substr(1, s.size() - 2)), p);
                }
                if (match && p.count(body.at("name").get<std::string>())) names.insert(p.at(body.at("name").get<std::string>()));
            }
            return test::ScriptedReply{200, json{{"names", names}}.dump()};
        }
        return test::ScriptedReply{404, ""};
    });
    Env e;
    e.set("PYROSCOPE_PORT", std::to_string(pyroscope.port()));
    const auto outcome = run_declared(builtin_check("pyroscope", "ingest and label values"), e.env("pyroscope"), Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    ASSERT_EQ(profiles.size(), 1u);
    EXPECT_EQ(profiles[0].at("envctl_verify"), "true");
    const auto ingest = pyroscope.received().at(0);
    EXPECT_EQ(ingest.header("Content-Type"), "text/plain");
    const auto q = query_of(ingest.path);
    EXPECT_EQ(q.at("from"), q.at("until"));
    EXPECT_GT(std::stoll(q.at("from")), 1'700'000'000LL) << "Unix seconds";
}

TEST(VerifyObservability, GrafanaUpAndEveryProvisionedDatasourceHealthyAsTheAdmin) {
    // The datasources Grafana provisions from the stack's files: a check each, no more, no less.
    const auto provisioned = YAML::LoadFile(std::string(ENVCTL_REPO_ROOT) + "/compose/grafana/provisioning/datasources/datasources.yaml");
    std::set<std::string> uids;
    for (const auto& d : provisioned["datasources"]) uids.insert(d["uid"].as<std::string>());
    ASSERT_EQ(uids.size(), 4u);
    std::set<std::string> checked;
    const auto declared = descriptors::load_verify_checks(std::nullopt);
    for (const auto& c : declared.at("grafana"))
        if (c.name.starts_with("datasource ")) checked.insert(c.name.substr(11));
    EXPECT_EQ(checked, uids);

    test::HttpTestServer grafana;
    grafana.script([&](int) {
        const auto r = grafana.received().back();
        if (r.path == "/api/health") return test::ScriptedReply{200, R"({"commit": "abc", "database": "ok", "version": "13.2.0"})"};
        // admin:grafana-test-password, Basic (RFC 7617).
        if (r.header("Authorization") != "Basic YWRtaW46Z3JhZmFuYS10ZXN0LXBhc3N3b3Jk")
            return test::ScriptedReply{401, R"({"message": "Unauthorized"})"};
        static const std::regex health("/api/datasources/uid/([^/]+)/health");
        std::smatch m;
        if (r.method == "GET" && std::regex_match(r.path, m, health) && uids.count(m[1]))
            return test::ScriptedReply{200, json{{"status", "OK"}, {"message", "Data source is working"}}.dump()};
        return test::ScriptedReply{404, R"({"message": "Data source not found"})"};
    });
    Env e;
    e.set("GRAFANA_PORT", std::to_string(grafana.port()));
    e.set("GRAFANA_ADMIN_PASSWORD", "grafana-test-password");
    auto outcome = run_declared(builtin_check("grafana", "up"), e.env("grafana"), Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    for (const auto& uid : uids) {
        outcome = run_declared(builtin_check("grafana", "datasource " + uid), e.env("grafana"), Clock::now() + 5s, 2s);
        EXPECT_TRUE(outcome.ok) << uid << ": " << outcome.detail;
    }
    EXPECT_EQ(grafana.requests(), 5);

    // A datasource Grafana cannot reach: its health answers 400 with status ERROR, and the check fails naming it.
    grafana.script({{400, R"({"status": "ERROR", "message": "Post \"http://tempo:3200/api/echo\": dial tcp: lookup tempo: no such host"})"}});
    outcome = run_declared(builtin_check("grafana", "datasource tempo"), e.env("grafana"), Clock::now() + 5s, 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("GET /api/datasources/uid/tempo/health: HTTP 400 (expected 200)"), std::string::npos) << outcome.detail;
    // The wrong password is refused (401), never passed.
    grafana.script([&](int) {
        const auto r = grafana.received().back();
        return r.header("Authorization").empty() ? test::ScriptedReply{401, "{}"} : test::ScriptedReply{401, R"({"message": "invalid username or password"})"};
    });
    e.set("GRAFANA_ADMIN_PASSWORD", "wrong");
    outcome = run_declared(builtin_check("grafana", "datasource loki"), e.env("grafana"), Clock::now() + 5s, 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("HTTP 401"), std::string::npos) << outcome.detail;
}

TEST(VerifyObservability, AgentReady) {
    test::HttpTestServer alloy;
    alloy.script({{200, "Alloy is ready.\n"}});
    Env e;
    e.set("GRAFANA_AGENT_PORT", std::to_string(alloy.port()));
    const auto outcome = run_declared(builtin_check("grafana-agent", "ready"), e.env("grafana-agent"), Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    ASSERT_EQ(alloy.received().size(), 1u);
    EXPECT_EQ(alloy.received()[0].path, "/-/ready");
}
