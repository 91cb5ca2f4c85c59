// Per service, the facts that break such stacks, asserted on the RENDERED compose file parsed back with yaml-cpp
// (and, where the fact lives in a mounted file, on that file as the rendered mount path finds it).

#include <gtest/gtest.h>
#include "support/test_paths.hpp"
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <regex>

#include "envctl/compose/renderer.hpp"
#include "envctl/descriptors/stack_parser.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kRepo = ENVCTL_REPO_ROOT;

const YAML::Node& rendered() {
    static const YAML::Node doc = YAML::Load(envctl::compose::render(envctl::descriptors::builtin_stack(), {}));
    return doc;
}

YAML::Node service(const std::string& name) { return rendered()["services"][name]; }

std::vector<std::string> strings(const YAML::Node& list) {
    std::vector<std::string> out;
    if (list) for (const auto& n : list) out.push_back(n.as<std::string>());
    return out;
}

bool has(const std::vector<std::string>& items, const std::string& wanted) {
    return std::find(items.begin(), items.end(), wanted) != items.end();
}

// The argument after `name` in an argv ("<missing>" when absent).
std::string flag(const std::vector<std::string>& argv, const std::string& name) {
    auto it = std::find(argv.begin(), argv.end(), name);
    return it != argv.end() && it + 1 != argv.end() ? *(it + 1) : "<missing>";
}

std::string env(const YAML::Node& s, const std::string& key) {
    return s["environment"][key] ? s["environment"][key].as<std::string>() : "<unset>";
}

std::string port(const std::string& variable, int container) {
    return "${ENVCTL_BIND_ADDRESS:-127.0.0.1}:${" + variable + ":?" + variable + " is not set}:" +
           std::to_string(container);
}

std::string healthcheck_shell(const YAML::Node& s) {
    auto test = strings(s["healthcheck"]["test"]);
    return test.size() == 2 && test[0] == "CMD-SHELL" ? test[1] : "<no CMD-SHELL healthcheck>";
}

bool no_healthcheck(const YAML::Node& s) { return strings(s["healthcheck"]["test"]) == std::vector<std::string>{"NONE"}; }

// The file a rendered volume entry "<source>:<target>[:ro]" mounts at `target`, resolved like compose does:
// relative to the compose file's folder.
YAML::Node mounted_yaml(const YAML::Node& s, const std::string& target) {
    for (const auto& v : strings(s["volumes"])) {
        auto first = v.find(':');
        auto rest = v.substr(first + 1);
        if (rest == target || rest == target + ":ro") return YAML::LoadFile((kRepo / "compose" / v.substr(0, first)).string());
    }
    ADD_FAILURE() << "nothing mounted at " << target;
    return {};
}

struct Fact {
    const char* service;
    const char* fact;
    std::function<void(const YAML::Node&)> check;
};

const std::vector<Fact> kFacts = {
    {"opa", "listens on 0.0.0.0:8181, published from OPA_PORT", [](const YAML::Node& s) {
         EXPECT_TRUE(has(strings(s["command"]), "--addr=0.0.0.0:8181"));
         EXPECT_TRUE(has(strings(s["ports"]), port("OPA_PORT", 8181)));
     }},
    {"tempo", "OTLP receivers on 0.0.0.0 in the mounted 3.x config", [](const YAML::Node& s) {
         EXPECT_TRUE(has(strings(s["command"]), "-config.file=/etc/tempo/tempo.yaml"));
         auto cfg = mounted_yaml(s, "/etc/tempo/tempo.yaml");
         auto protocols = cfg["distributor"]["receivers"]["otlp"]["protocols"];
         EXPECT_EQ(protocols["grpc"]["endpoint"].as<std::string>(), "0.0.0.0:4317");
         EXPECT_EQ(protocols["http"]["endpoint"].as<std::string>(), "0.0.0.0:4318");
         EXPECT_FALSE(cfg["ingester"]) << "Tempo 3 rejects ingester:";
         EXPECT_FALSE(cfg["compactor"]) << "Tempo 3 rejects compactor:";
     }},
    {"vault", "dev listen address 0.0.0.0:8200, root token from VAULT_DEV_ROOT_TOKEN, IPC_LOCK", [](const YAML::Node& s) {
         EXPECT_EQ(env(s, "VAULT_DEV_LISTEN_ADDRESS"), "0.0.0.0:8200");
         EXPECT_EQ(env(s, "VAULT_DEV_ROOT_TOKEN_ID"), "${VAULT_DEV_ROOT_TOKEN}");
         EXPECT_TRUE(has(strings(s["cap_add"]), "IPC_LOCK"));
         EXPECT_TRUE(has(strings(s["ports"]), port("VAULT_PORT", 8200)));
     }},
    {"dapr-placement", "gRPC on 50005 and its healthz port published", [](const YAML::Node& s) {
         EXPECT_EQ(flag(strings(s["command"]), "--port"), "50005");
         EXPECT_EQ(flag(strings(s["command"]), "--healthz-port"), "8080");
         EXPECT_TRUE(has(strings(s["ports"]), port("DAPR_PLACEMENT_PORT", 50005)));
         EXPECT_TRUE(has(strings(s["ports"]), port("DAPR_PLACEMENT_HEALTH_PORT", 8080)));
     }},
    {"dapr-sentry", "gRPC on 50001, healthz published, given a daprsystem config file", [](const YAML::Node& s) {
         auto cmd = strings(s["command"]);
         EXPECT_EQ(flag(cmd, "--port"), "50001");
         EXPECT_EQ(flag(cmd, "--healthz-port"), "8080");
         EXPECT_TRUE(has(strings(s["ports"]), port("DAPR_SENTRY_PORT", 50001)));
         EXPECT_TRUE(has(strings(s["ports"]), port("DAPR_SENTRY_HEALTH_PORT", 8080)));
         auto config = std::find(cmd.begin(), cmd.end(), "--config");
         ASSERT_NE(config, cmd.end());
         ASSERT_NE(config + 1, cmd.end());
         auto file = mounted_yaml(s, *(config + 1));
         EXPECT_EQ(file["kind"].as<std::string>(), "Configuration");
         EXPECT_EQ(file["metadata"]["name"].as<std::string>(), "daprsystem");
     }},
    {"postgresql", "pg_isready -h 127.0.0.1; credentials from the settings", [](const YAML::Node& s) {
         EXPECT_NE(healthcheck_shell(s).find("pg_isready -h 127.0.0.1"), std::string::npos);
         EXPECT_EQ(env(s, "POSTGRES_PASSWORD"), "${POSTGRES_PASSWORD}");
         EXPECT_TRUE(has(strings(s["ports"]), port("POSTGRES_PORT", 5432)));
     }},
    {"authentik-postgresql", "pg_isready -h 127.0.0.1; no host port", [](const YAML::Node& s) {
         EXPECT_NE(healthcheck_shell(s).find("pg_isready -h 127.0.0.1"), std::string::npos);
         EXPECT_EQ(env(s, "POSTGRES_PASSWORD"), "${AUTHENTIK_POSTGRES_PASSWORD}");
         EXPECT_FALSE(s["ports"]);
     }},
    {"grafana-agent", "Grafana Alloy listening on 0.0.0.0:12345", [](const YAML::Node& s) {
         EXPECT_EQ(s["image"].as<std::string>().rfind("docker.io/grafana/alloy:", 0), 0u);
         EXPECT_TRUE(has(strings(s["command"]), "--server.http.listen-addr=0.0.0.0:12345"));
         EXPECT_TRUE(has(strings(s["ports"]), port("GRAFANA_AGENT_PORT", 12345)));
     }},
    {"cosmosdb-emulator", "health port 8080 published, ENABLE_EXPLORER=false", [](const YAML::Node& s) {
         EXPECT_TRUE(has(strings(s["ports"]), port("COSMOSDB_HEALTH_PORT", 8080)));
         EXPECT_TRUE(has(strings(s["ports"]), port("COSMOSDB_PORT", 8081)));
         EXPECT_EQ(env(s, "ENABLE_EXPLORER"), "false");
     }},
    {"service-bus-emulator", "SQL_SERVER, EULA, SA password, mounted Config.json", [](const YAML::Node& s) {
         EXPECT_EQ(env(s, "SQL_SERVER"), "sql-edge");
         EXPECT_EQ(env(s, "ACCEPT_EULA"), "Y");
         EXPECT_EQ(env(s, "MSSQL_SA_PASSWORD"), "${SQL_EDGE_SA_PASSWORD}");
         EXPECT_TRUE(has(strings(s["volumes"]),
                         "../compose/service-bus/Config.json:/ServiceBus_Emulator/ConfigFiles/Config.json:ro"));
         EXPECT_TRUE(has(strings(s["depends_on"]), "sql-edge"));
         EXPECT_TRUE(has(strings(s["ports"]), port("SERVICE_BUS_HEALTH_PORT", 5300)));
     }},
    {"sql-edge", "mssql/server with SA password and EULA, no host port, sqlcmd -C check", [](const YAML::Node& s) {
         EXPECT_EQ(s["image"].as<std::string>().rfind("mcr.microsoft.com/mssql/server:", 0), 0u);
         EXPECT_EQ(env(s, "MSSQL_SA_PASSWORD"), "${SQL_EDGE_SA_PASSWORD}");
         EXPECT_EQ(env(s, "ACCEPT_EULA"), "Y");
         EXPECT_FALSE(s["ports"]);
         EXPECT_NE(healthcheck_shell(s).find("/opt/mssql-tools18/bin/sqlcmd -C"), std::string::npos);
         EXPECT_NE(healthcheck_shell(s).find("$${MSSQL_SA_PASSWORD}"), std::string::npos)
             << "the container's shell expands the password; it is never written into the file";
         EXPECT_EQ(healthcheck_shell(s).find(" -P "), std::string::npos)
             << "sqlcmd takes the password from SQLCMDPASSWORD: on its command line, ps would show it";
         EXPECT_NE(healthcheck_shell(s).find("SQLCMDPASSWORD="), std::string::npos);
     }},
    {"authentik", "secret key, postgres settings, 512mb shared memory", [](const YAML::Node& s) {
         EXPECT_EQ(env(s, "AUTHENTIK_SECRET_KEY"), "${AUTHENTIK_SECRET_KEY}");
         EXPECT_EQ(env(s, "AUTHENTIK_POSTGRESQL__HOST"), "authentik-postgresql");
         EXPECT_EQ(env(s, "AUTHENTIK_POSTGRESQL__NAME"), "authentik");
         EXPECT_EQ(env(s, "AUTHENTIK_POSTGRESQL__USER"), "authentik");
         EXPECT_EQ(env(s, "AUTHENTIK_POSTGRESQL__PASSWORD"), "${AUTHENTIK_POSTGRES_PASSWORD}");
         EXPECT_EQ(s["shm_size"].as<std::string>(), "512mb");
         EXPECT_EQ(strings(s["command"]), std::vector<std::string>{"server"});
     }},
    {"authentik-worker", "same settings as the server, worker command, no host port", [](const YAML::Node& s) {
         EXPECT_EQ(env(s, "AUTHENTIK_SECRET_KEY"), "${AUTHENTIK_SECRET_KEY}");
         EXPECT_EQ(env(s, "AUTHENTIK_POSTGRESQL__PASSWORD"), "${AUTHENTIK_POSTGRES_PASSWORD}");
         EXPECT_EQ(s["shm_size"].as<std::string>(), "512mb");
         EXPECT_EQ(strings(s["command"]), std::vector<std::string>{"worker"});
         EXPECT_FALSE(s["ports"]);
     }},
    {"authentik-redis", "kept for parity, publishes no port", [](const YAML::Node& s) { EXPECT_FALSE(s["ports"]); }},
    {"mimir", "port 9009 and single tenancy in the mounted config", [](const YAML::Node& s) {
         auto cfg = mounted_yaml(s, "/etc/mimir/mimir.yaml");
         EXPECT_EQ(cfg["server"]["http_listen_port"].as<int>(), 9009);
         EXPECT_FALSE(cfg["multitenancy_enabled"].as<bool>());
         EXPECT_TRUE(has(strings(s["ports"]), port("MIMIR_PORT", 9009)));
     }},
    {"loki", "tsdb with schema v13 in the mounted config", [](const YAML::Node& s) {
         auto schema = mounted_yaml(s, "/etc/loki/loki.yaml")["schema_config"]["configs"][0];
         EXPECT_EQ(schema["store"].as<std::string>(), "tsdb");
         EXPECT_EQ(schema["schema"].as<std::string>(), "v13");
     }},
};

class ServiceFacts : public ::testing::TestWithParam<Fact> {};

TEST_P(ServiceFacts, HoldInTheRenderedFile) {
    const Fact& f = GetParam();
    SCOPED_TRACE(std::string(f.service) + ": " + f.fact);
    const YAML::Node s = service(f.service);
    ASSERT_TRUE(s.IsMap()) << f.service << " is not rendered";
    f.check(s);
}

INSTANTIATE_TEST_SUITE_P(Builtin, ServiceFacts, ::testing::ValuesIn(kFacts),
                         [](const ::testing::TestParamInfo<Fact>& param_info) {
                             std::string name;
                             for (const char* p = param_info.param.service; *p; ++p) name += std::isalnum(*p) ? *p : '_';
                             return name;
                         });

TEST(ServiceFactsAll, DistrolessImagesHaveNoInContainerHealthcheckAndTheOthersUseCmdShell) {
    const std::set<std::string> distroless{"dapr-placement", "dapr-sentry", "opa",       "mimir",
                                           "loki",           "tempo",       "pyroscope", "service-bus-emulator"};
    for (const auto& entry : rendered()["services"]) {
        const auto name = entry.first.as<std::string>();
        if (distroless.count(name))
            EXPECT_TRUE(no_healthcheck(entry.second)) << name;
        else
            EXPECT_NE(healthcheck_shell(entry.second), "<no CMD-SHELL healthcheck>") << name;
    }
}

TEST(ServiceFactsAll, EveryHostPortIsANamedVariableOnTheBindAddress) {
    const std::regex form(R"(\$\{ENVCTL_BIND_ADDRESS:-127\.0\.0\.1\}:\$\{([A-Z][A-Z0-9_]*):\?\1 is not set\}:\d+)");
    const std::set<std::string> portless{"sql-edge", "authentik-worker", "authentik-postgresql", "authentik-redis"};
    std::size_t count = 0;
    for (const auto& entry : rendered()["services"]) {
        const auto name = entry.first.as<std::string>();
        EXPECT_EQ(!entry.second["ports"], portless.count(name) == 1) << name;
        for (const auto& p : strings(entry.second["ports"])) {
            EXPECT_TRUE(std::regex_match(p, form)) << name << ": " << p;
            ++count;
        }
    }
    EXPECT_EQ(count, 21u);  // 16 services publish; placement, sentry, cosmos, service bus and tempo two ports each
}

TEST(ServiceFactsAll, ImagesArePinnedFullyQualifiedAndLabelsCarryGroupAndConfigHash) {
    const std::regex hex("[0-9a-f]{64}");
    for (const auto& entry : rendered()["services"]) {
        const auto name = entry.first.as<std::string>();
        const auto image = entry.second["image"].as<std::string>();
        EXPECT_EQ(image.find("latest"), std::string::npos) << name;
        // Fully qualified: podman without unqualified-search registries (Debian's default) cannot pull a short name.
        const auto registry = image.substr(0, image.find('/'));
        EXPECT_TRUE(image.find('/') != std::string::npos && registry.find('.') != std::string::npos)
            << name << ": " << image << " names no registry";
        EXPECT_TRUE(entry.second["labels"]["io.envctl.group"]) << name;
        EXPECT_TRUE(std::regex_match(entry.second["labels"]["io.envctl.config-hash"].as<std::string>(), hex)) << name;
    }
}

}  // namespace
