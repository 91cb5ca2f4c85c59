// The configuration files the services mount (compose/, dapr/). None of those images can run here, so these tests
// parse every file and assert the settings the upstream facts warn about.

#include <gtest/gtest.h>
#include "support/test_paths.hpp"
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/util/files.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kRepo = ENVCTL_REPO_ROOT;

YAML::Node yaml(const std::string& relative) { return YAML::LoadFile((kRepo / relative).string()); }

std::vector<fs::path> files_under(const std::string& folder, const std::set<std::string>& extensions) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(kRepo / folder))
        if (e.is_regular_file() && extensions.count(e.path().extension().string())) out.push_back(e.path());
    return out;
}

}  // namespace

TEST(ConfigFiles, EveryYamlAndJsonFileParses) {
    std::size_t count = 0;
    for (const auto& folder : {"compose", "dapr"}) {
        for (const auto& p : files_under(folder, {".yaml", ".yml"})) {
            EXPECT_NO_THROW(YAML::LoadAllFromFile(p.string())) << p;
            ++count;
        }
        for (const auto& p : files_under(folder, {".json"})) {
            EXPECT_FALSE(nlohmann::json::parse(envctl::files::read(p)).is_null()) << p;
            ++count;
        }
    }
    EXPECT_GE(count, 12u);
}

TEST(ConfigFiles, EveryMountOfTheBuiltInStackExists) {
    for (const auto& s : envctl::descriptors::builtin_stack().services)
        for (const auto& m : s.mounts) EXPECT_TRUE(fs::exists(kRepo / m.source)) << s.name << ": " << m.source;
}

TEST(ConfigFiles, Tempo3HasNoIngesterOrCompactorAndReceivesOtlpOnAllAddresses) {
    const auto cfg = yaml("compose/tempo/tempo.yaml");
    for (const char* removed : {"ingester", "compactor", "ingester_client"}) EXPECT_FALSE(cfg[removed]) << removed;
    EXPECT_EQ(cfg["server"]["http_listen_port"].as<int>(), 3200);
    const auto protocols = cfg["distributor"]["receivers"]["otlp"]["protocols"];
    EXPECT_EQ(protocols["grpc"]["endpoint"].as<std::string>(), "0.0.0.0:4317");
    EXPECT_EQ(protocols["http"]["endpoint"].as<std::string>(), "0.0.0.0:4318");
}

TEST(ConfigFiles, Loki3UsesTsdbWithSchemaV13) {
    const auto cfg = yaml("compose/loki/loki.yaml");
    EXPECT_FALSE(cfg["auth_enabled"].as<bool>());
    EXPECT_EQ(cfg["server"]["http_listen_port"].as<int>(), 3100);
    const auto configs = cfg["schema_config"]["configs"];
    ASSERT_GE(configs.size(), 1u);
    for (const auto& c : configs) {
        EXPECT_EQ(c["store"].as<std::string>(), "tsdb");
        EXPECT_EQ(c["schema"].as<std::string>(), "v13");
    }
    const std::string text = envctl::files::read(kRepo / "compose/loki/loki.yaml");
    for (const char* gone : {"shared_store", "boltdb-shipper", "table_manager"})
        EXPECT_EQ(text.find(gone), std::string::npos) << gone << " is Loki 2.x only";
}

TEST(ConfigFiles, MimirListensOn9009WithSingleTenancy) {
    const auto cfg = yaml("compose/mimir/mimir.yaml");
    EXPECT_EQ(cfg["server"]["http_listen_port"].as<int>(), 9009);
    EXPECT_FALSE(cfg["multitenancy_enabled"].as<bool>());
    EXPECT_EQ(cfg["ingester"]["ring"]["replication_factor"].as<int>(), 1);
}

TEST(ConfigFiles, GrafanaDatasourcesHaveFixedUids) {
    const auto cfg = yaml("compose/grafana/provisioning/datasources/datasources.yaml");
    std::map<std::string, std::pair<std::string, std::string>> found;  // uid -> (type, url)
    for (const auto& d : cfg["datasources"])
        found[d["uid"].as<std::string>()] = {d["type"].as<std::string>(), d["url"].as<std::string>()};
    const std::map<std::string, std::pair<std::string, std::string>> expected{
        {"mimir", {"prometheus", "http://mimir:9009/prometheus"}},
        {"loki", {"loki", "http://loki:3100"}},
        {"tempo", {"tempo", "http://tempo:3200"}},
        {"pyroscope", {"grafana-pyroscope-datasource", "http://pyroscope:4040"}}};
    EXPECT_EQ(found, expected);
}

TEST(ConfigFiles, GrafanaProvisioningEscapesEveryDollar) {
    // Grafana expands $NAME and ${NAME} in provisioning files; a literal $ must be written $$.
    for (const auto& p : files_under("compose/grafana/provisioning", {".yaml"})) {
        const std::string text = std::regex_replace(envctl::files::read(p), std::regex("\\$\\$"), "");
        EXPECT_EQ(text.find('$'), std::string::npos) << p << " has an unescaped $";
    }
}

TEST(ConfigFiles, DashboardOfTheStacksHealthUsesTheProvisionedDatasource) {
    const auto provider = yaml("compose/grafana/provisioning/dashboards/dashboards.yaml")["providers"][0];
    const auto& grafana = envctl::descriptors::builtin_stack().get("grafana");
    bool mounted = false;
    for (const auto& m : grafana.mounts)
        mounted = mounted || (m.source == "compose/grafana/dashboards" &&
                              m.target == provider["options"]["path"].as<std::string>());
    EXPECT_TRUE(mounted) << "the provider's path is where grafana mounts compose/grafana/dashboards";

    const auto dash = nlohmann::json::parse(envctl::files::read(kRepo / "compose/grafana/dashboards/stack-health.json"));
    EXPECT_EQ(dash["uid"], "envctl-stack-health");
    ASSERT_FALSE(dash["panels"].empty());
    for (const auto& panel : dash["panels"]) {
        EXPECT_EQ(panel["datasource"]["uid"], "mimir") << panel["title"];
        for (const auto& t : panel["targets"]) {
            const auto expr = t["expr"].get<std::string>();
            EXPECT_TRUE(expr.find("probe_success") != std::string::npos ||
                        expr.find("probe_duration_seconds") != std::string::npos)
                << panel["title"] << ": " << expr;
        }
    }
}

TEST(ConfigFiles, AlertRuleFiresWhenAServiceIsDown) {
    const auto group = yaml("compose/grafana/provisioning/alerting/stack-health.yaml")["groups"][0];
    const auto rule = group["rules"][0];
    std::set<std::string> refs;
    bool queries_probe = false;
    for (const auto& d : rule["data"]) {
        refs.insert(d["refId"].as<std::string>());
        if (d["datasourceUid"].as<std::string>() == "mimir")
            queries_probe = d["model"]["expr"].as<std::string>().find("probe_success") != std::string::npos;
    }
    EXPECT_TRUE(queries_probe);
    EXPECT_TRUE(refs.count(rule["condition"].as<std::string>()));
    EXPECT_NE(rule["annotations"]["summary"].as<std::string>().find(".Labels.service"), std::string::npos);
}

TEST(ConfigFiles, ServiceBusConfigDeclaresTheContentAndServicesTopics) {
    const auto cfg = nlohmann::json::parse(envctl::files::read(kRepo / "compose/service-bus/Config.json"));
    const auto& ns = cfg["UserConfig"]["Namespaces"][0];
    EXPECT_EQ(ns["Name"], "sbemulatorns");
    EXPECT_FALSE(ns["Queues"].empty());
    std::set<std::string> topics;
    for (const auto& t : ns["Topics"]) {
        topics.insert(t["Name"].get<std::string>());
        EXPECT_FALSE(t["Subscriptions"].empty()) << t["Name"] << ": dapr cannot create subscriptions here";
    }
    for (const char* wanted : {"services-events", "content-upload-events", "content-processing-events",
                               "content-virus-scan", "content-audit-events", "content-access-events",
                               "storage-health-events", "grafana-audit-events"})
        EXPECT_TRUE(topics.count(wanted)) << wanted;
}

TEST(ConfigFiles, SentryHasADaprsystemConfiguration) {
    const auto cfg = yaml("compose/dapr-sentry/daprsystem.yaml");
    EXPECT_EQ(cfg["kind"].as<std::string>(), "Configuration");
    EXPECT_EQ(cfg["metadata"]["name"].as<std::string>(), "daprsystem");
    EXPECT_TRUE(cfg["spec"]["mtls"]["enabled"].as<bool>());
}

TEST(ConfigFiles, OpaPolicyIsRegoV1) {
    const std::string text = envctl::files::read(kRepo / "compose/opa/policies/authz.rego");
    EXPECT_TRUE(std::regex_search(text, std::regex("^package [a-z.]+$", std::regex::multiline)));
    EXPECT_EQ(text.find("future.keywords"), std::string::npos) << "Rego v1 needs no future imports";
    std::istringstream lines(text);
    std::string line;
    int rules = 0;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#' || line[0] == '\t' || line[0] == ' ' || line[0] == '}') continue;
        if (line.starts_with("package ") || line.starts_with("import ") || line.starts_with("default ")) continue;
        if (line.find(":=") != std::string::npos && line.find(" if ") == std::string::npos) continue;  // constant
        ++rules;
        EXPECT_NE(line.find(" if"), std::string::npos) << "a rule body needs `if`: " << line;
        EXPECT_FALSE(std::regex_search(line, std::regex(R"(^\w+\[[^\]]*\])"))) << "v0 partial rule: " << line;
    }
    EXPECT_GE(rules, 3);
}

TEST(ConfigFiles, AlloyProbesEveryServiceAndShipsToTheStack) {
    const std::string text = envctl::files::read(kRepo / "compose/alloy/config.alloy");
    for (const auto& s : envctl::descriptors::builtin_stack().services)
        EXPECT_NE(text.find("name    = \"" + s.name + "\""), std::string::npos) << s.name << " is not probed";
    EXPECT_NE(text.find("url = \"http://mimir:9009/api/v1/push\""), std::string::npos);
    EXPECT_NE(text.find("endpoint = \"tempo:4317\""), std::string::npos);
    EXPECT_NE(text.find("insecure = true"), std::string::npos);
    EXPECT_NE(text.find("endpoint = \"0.0.0.0:4317\""), std::string::npos);
    EXPECT_EQ(std::count(text.begin(), text.end(), '{'), std::count(text.begin(), text.end(), '}'));
}

TEST(ConfigFiles, DaprSidecarConfigTracesToTempoInPlainText) {
    const auto cfg = yaml("dapr/config.yaml");
    const auto otel = cfg["spec"]["tracing"]["otel"];
    EXPECT_EQ(otel["endpointAddress"].as<std::string>(), "tempo:4317") << "host:port only, no scheme";
    ASSERT_TRUE(otel["isSecure"]) << "dapr defaults to TLS when isSecure is missing";
    EXPECT_FALSE(otel["isSecure"].as<bool>());
    EXPECT_TRUE(cfg["spec"]["metric"]["enabled"].as<bool>());
}

TEST(ConfigFiles, DaprComponentsUseRedisDapr) {
    std::map<std::string, std::string> types;
    for (const auto& p : files_under("dapr/components", {".yaml"})) {
        const auto c = YAML::LoadFile(p.string());
        EXPECT_EQ(c["kind"].as<std::string>(), "Component") << p;
        types[c["metadata"]["name"].as<std::string>()] = c["spec"]["type"].as<std::string>();
        bool host = false;
        for (const auto& m : c["spec"]["metadata"])
            host = host || (m["name"].as<std::string>() == "redisHost" && m["value"].as<std::string>() == "redis-dapr:6379");
        EXPECT_TRUE(host) << p;
    }
    EXPECT_EQ(types, (std::map<std::string, std::string>{{"statestore", "state.redis"}, {"pubsub", "pubsub.redis"}}));
}
