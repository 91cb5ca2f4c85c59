// The podman flavour of the Kubernetes rendering (--engine kube): the small stack's golden Deployments and
// ConfigMap, the settings' values only in the ConfigMap, and what podman 4.3 needs instead of the cluster's fields.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/rendering/kube_podman.hpp"
#include "envctl/util/files.hpp"
#include "support/small_stack.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using envctl::rendering::kube::PodmanOptions;
using envctl::rendering::kube::PodmanPlay;
using envctl::rendering::kube::podman_play;

namespace {

const fs::path kGolden = fs::path(ENVCTL_TEST_DATA) / "kube" / "podman";
const fs::path kProjectDir = fs::path(ENVCTL_TEST_DATA) / "kube" / "project";
constexpr const char* kProjectDirMark = "@PROJECT_DIR@";

const std::map<std::string, std::string>& settings_values() {
    static const std::map<std::string, std::string> values{{"DB_PASSWORD", "db-secret-value"}};
    return values;
}

PodmanOptions small_options() {
    PodmanOptions o;
    o.project = "smalltest";
    o.project_dir = kProjectDir;
    o.bind_address = "127.0.0.2";
    static const std::map<std::string, int> ports{{"DB_PORT", 15432}, {"WEB_PORT", 18080}, {"WEB_SYSLOG_PORT", 10514}};
    o.host_port = [](const std::string& variable) { return ports.at(variable); };
    o.lookup = [](const std::string& name) -> const std::string* {
        auto it = settings_values().find(name);
        return it == settings_values().end() ? nullptr : &it->second;
    };
    o.config_hashes = {{"db", "kube-hash-db"}, {"web", "kube-hash-web"}, {"sidecar", "kube-hash-sidecar"}};
    return o;
}

std::vector<envctl::rendering::ServiceModel> small_models(envctl::settings::ImageFlavour images) {
    std::vector<envctl::rendering::ServiceModel> out;
    for (const auto& d : envctl::test::small_stack().services) out.push_back(envctl::rendering::service_model(d, images));
    return out;
}

// File name -> content, the machine's project folder replaced by a mark.
std::map<std::string, std::string> play_files(const PodmanPlay& play) {
    std::map<std::string, std::string> out;
    auto unmachined = [](std::string text) {
        const std::string dir = fs::weakly_canonical(kProjectDir).string();
        for (auto at = text.find(dir); at != std::string::npos; at = text.find(dir, at))
            text.replace(at, dir.size(), kProjectDirMark);
        return text;
    };
    for (const auto& [service, yaml] : play.workloads) out[service + ".yaml"] = unmachined(yaml);
    out["values.yaml"] = play.values;
    return out;
}

}  // namespace

// tests/data/kube/podman/ was written by this rendering and reviewed by hand; ENVCTL_UPDATE_GOLDEN=1 rewrites it.
TEST(KubePodman, SmallStackMatchesTheGoldenFiles) {
    const auto files = play_files(podman_play(small_models(envctl::settings::ImageFlavour::local), small_options()));
    if (std::getenv("ENVCTL_UPDATE_GOLDEN") != nullptr) {
        fs::remove_all(kGolden);
        for (const auto& [name, content] : files) envctl::files::write_atomic(kGolden / name, content);
    }
    ASSERT_EQ(files.size(), 4u);
    for (const auto& [name, content] : files) EXPECT_EQ(content, envctl::files::read(kGolden / name)) << name;
}

TEST(KubePodman, SettingsValuesAreOnlyInTheConfigMap) {
    const auto play = podman_play(small_models(envctl::settings::ImageFlavour::upstream), small_options());
    for (const auto& [service, yaml] : play.workloads) {
        EXPECT_EQ(yaml.find("db-secret-value"), std::string::npos) << service;
        EXPECT_EQ(yaml.find("secretKeyRef"), std::string::npos) << service << ": podman 4.3 reads no Secret";
    }
    EXPECT_NE(play.workloads.at("db").find("configMapKeyRef:\n              name: smalltest-secrets\n"
                                           "              key: DB_PASSWORD\n"),
              std::string::npos)
        << play.workloads.at("db");
    EXPECT_NE(play.values.find("DB_PASSWORD: db-secret-value"), std::string::npos) << play.values;
}

TEST(KubePodman, WhatPodmanCannotTakeIsRenderedItsWay) {
    const auto play = podman_play(small_models(envctl::settings::ImageFlavour::local), small_options());
    const std::string& db = play.workloads.at("db");
    // A StatefulSet's claim template becomes a claim of the podman volume the other engines use.
    EXPECT_NE(db.find("kind: Deployment\nmetadata:\n  name: smalltest-db\n"), std::string::npos) << db;
    EXPECT_EQ(db.find("volumeClaimTemplates"), std::string::npos);
    EXPECT_NE(db.find("persistentVolumeClaim:\n          claimName: smalltest_db-data-local\n"), std::string::npos);
    EXPECT_NE(db.find("image: \"localhost/envctl/postgresql:15\"\n"), std::string::npos);
    EXPECT_NE(db.find("hostPort: 15432\n          hostIP: \"127.0.0.2\"\n"), std::string::npos) << db;
    EXPECT_NE(db.find("com.docker.compose.service: db\n"), std::string::npos);
    EXPECT_NE(db.find("io.envctl.config-hash: kube-hash-db\n"), std::string::npos);
    EXPECT_NE(db.find("restartPolicy: Never\n"), std::string::npos);
    // A mounted file is the project's file itself, not a ConfigMap volume.
    const std::string& web = play.workloads.at("web");
    EXPECT_EQ(web.find("configMap:"), std::string::npos) << web;
    EXPECT_EQ(web.find("subPath"), std::string::npos) << web;
    EXPECT_NE(web.find("/compose/web/config.yaml\n          type: File\n"), std::string::npos) << web;
    EXPECT_NE(web.find("type: DirectoryOrCreate\n"), std::string::npos) << web;
    EXPECT_EQ(envctl::rendering::kube::podman_container_name("p", "web"), "p-web-pod-0-web");
}

TEST(KubePodman, AReferenceInsideLongerTextIsResolvedIntoTheConfigMap) {
    const auto stack = envctl::descriptors::parse_stack(
        "mode: replace\nservices:\n  app:\n    group: core\n    image: busybox:1.36\n"
        "    command: [sh, -c, 'echo $${HOME} ${GREETING:-hi}']\n"
        "    environment:\n      URL: 'postgres://u:${DB_PASSWORD}@db/app'\n      LITERAL: 'a$$b'\n"
        "    probe: {kind: command, command: [true]}\n",
        "inline.yaml");
    auto options = small_options();
    const auto play = podman_play({envctl::rendering::service_model(stack.get("app"), envctl::settings::ImageFlavour::upstream)},
                                  options);
    const std::string& app = play.workloads.at("app");
    EXPECT_NE(play.values.find("app.URL: \"postgres://u:db-secret-value@db/app\""), std::string::npos) << play.values;
    EXPECT_NE(app.find("key: app.URL\n"), std::string::npos) << app;
    EXPECT_NE(app.find("value: \"a$b\"\n"), std::string::npos) << app;  // podman 4.3 reads no $$
    EXPECT_NE(app.find("- \"echo ${HOME} hi\"\n"), std::string::npos) << app;  // nor $(VAR): resolved here
    options.lookup = [](const std::string&) -> const std::string* { return nullptr; };
    const auto required = envctl::descriptors::parse_stack(
        "mode: replace\nservices:\n  app:\n    group: core\n    image: busybox:1.36\n"
        "    environment:\n      TOKEN: '${TOKEN:?set TOKEN}'\n    probe: {kind: command, command: [true]}\n",
        "inline.yaml");
    EXPECT_THROW(podman_play({envctl::rendering::service_model(required.get("app"), envctl::settings::ImageFlavour::upstream)},
                             options),
                 envctl::Error);
}
