// The native engine's container document for podman's API. That it makes the same container as `podman create`
// with create_args() is checked against real podman in EngineInterop (tests/integration); here, the document.
#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/engine/container_spec_json.hpp"
#include "support/sample_project_spec.hpp"

namespace envctl::engine {
namespace {

using nlohmann::json;

// The shared sample, with the settings create_args' test leaves at their simplest made harder.
ProjectSpec sample() {
    ProjectSpec p = test::sample_project_spec();
    ServiceSpec& s = p.services[0];
    s.environment = {{"FOO", "dflt"}, {"BAR", "a b"}};
    s.ports[1].bind_address.clear();
    s.mounts.push_back(BindMount{"/srv/rw", "/rw", false});
    s.healthcheck->start_period = "1m30s";
    s.healthcheck->retries = 5;
    s.shm_size = "1g";
    s.stop_signal = "SIGINT";
    s.stop_grace_seconds = 7;
    return p;
}

TEST(ContainerSpecJson, CarriesEverySettingOfTheService) {
    auto p = sample();
    json j = container_spec_json(p, p.services[0]);
    EXPECT_EQ(j["name"], "enginetestargs_web1_1");
    EXPECT_EQ(j["image"], "localhost/envctl/busybox:1.35");
    EXPECT_EQ(j["entrypoint"], json::array({"/bin/busybox"}));
    EXPECT_EQ(j["command"], json::array({"httpd", "-f", "-p", "8080"}));
    EXPECT_EQ(j["env"], (json{{"FOO", "dflt"}, {"BAR", "a b"}}));
    EXPECT_EQ(j["labels"]["io.podman.compose.project"], "enginetestargs");
    EXPECT_EQ(j["labels"]["com.docker.compose.service"], "web1");
    EXPECT_EQ(j["labels"]["io.envctl.config-hash"], "abc");
    EXPECT_EQ(j["labels"]["com.docker.compose.project.config_files"], "/nonexistent-envctl/run/compose.yml");
    EXPECT_EQ(j["netns"]["nsmode"], "bridge");
    EXPECT_EQ(j["Networks"]["enginetestargs_default"]["aliases"], json::array({"web1"}));
    ASSERT_EQ(j["portmappings"].size(), 2u);
    EXPECT_EQ(j["portmappings"][0], (json{{"host_ip", "127.0.0.1"}, {"host_port", 25999}, {"container_port", 8080},
                                           {"protocol", "tcp"}}));
    EXPECT_FALSE(j["portmappings"][1].contains("host_ip"));
    EXPECT_EQ(j["portmappings"][1]["protocol"], "udp");
    EXPECT_EQ(j["volumes"], json::array({{{"Name", "enginetestargs_data"}, {"Dest", "/data"}}}));
    ASSERT_EQ(j["mounts"].size(), 2u);
    EXPECT_EQ(j["mounts"][0], (json{{"Destination", "/etc/x.txt"}, {"Source", "/srv/conf/x.txt"}, {"Type", "bind"},
                                     {"Options", {"rbind", "ro"}}}));
    EXPECT_EQ(j["mounts"][1]["Options"], json::array({"rbind"}));
    EXPECT_EQ(j["user"], "0:0");
    EXPECT_EQ(j["cap_add"], json::array({"NET_ADMIN"}));
    EXPECT_EQ(j["shm_size"], 1LL << 30);
    EXPECT_EQ(j["stop_signal"], 2);
    EXPECT_EQ(j["stop_timeout"], 7);
    EXPECT_EQ(j["resource_limits"]["memory"]["limit"], 64LL << 20);
    const json& h = j["healthconfig"];
    EXPECT_EQ(h["Test"], json::array({"CMD-SHELL", "/bin/sh -c 'wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1'"}));
    EXPECT_EQ(h["Interval"], 10LL * 1000000000);
    EXPECT_EQ(h["Timeout"], 5LL * 1000000000);
    EXPECT_EQ(h["StartPeriod"], 90LL * 1000000000);
    EXPECT_EQ(h["Retries"], 5);
}

TEST(ContainerSpecJson, HealthcheckTimingsDefaultToPodmansAndNoneIsNone) {
    auto p = sample();
    ServiceSpec& s = p.services[0];
    s.healthcheck = Healthcheck{"true", "", "", "", {}};
    json h = container_spec_json(p, s)["healthconfig"];
    EXPECT_EQ(h["Interval"], 30LL * 1000000000);
    EXPECT_EQ(h["Timeout"], 30LL * 1000000000);
    EXPECT_EQ(h["StartPeriod"], 0);
    EXPECT_EQ(h["Retries"], 3);
    s.healthcheck.reset();
    EXPECT_EQ(container_spec_json(p, s)["healthconfig"], (json{{"Test", {"NONE"}}}));
}

TEST(ContainerSpecJson, OptionalSettingsAreLeftOut) {
    ProjectSpec p = sample();
    ServiceSpec bare;
    bare.name = "bare";
    bare.image = "img";
    json j = container_spec_json(p, bare);
    for (const char* key : {"entrypoint", "command", "user", "cap_add", "shm_size", "stop_signal", "stop_timeout",
                            "resource_limits", "volumes", "mounts", "portmappings"}) {
        EXPECT_FALSE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["env"], json::object());
}

TEST(ContainerSpecJson, BadSizeOrSignalIsAnErrorNamingTheService) {
    auto p = sample();
    p.services[0].memory = "lots";
    try {
        container_spec_json(p, p.services[0]);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("web1"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("lots"), std::string::npos) << e.what();
    }
    p = sample();
    p.services[0].stop_signal = "SIGNOPE";
    EXPECT_THROW(container_spec_json(p, p.services[0]), Error);
}

TEST(ContainerSpecJson, SignalsByNameOrNumber) {
    EXPECT_EQ(parse_signal("SIGTERM"), 15);
    EXPECT_EQ(parse_signal("sigint"), 2);
    EXPECT_EQ(parse_signal("QUIT"), 3);
    EXPECT_EQ(parse_signal("9"), 9);
    for (const char* bad : {"", "SIG", "SIGNOPE", "0", "65", "9x"}) EXPECT_FALSE(parse_signal(bad).has_value()) << bad;
}

}  // namespace
}  // namespace envctl::engine
