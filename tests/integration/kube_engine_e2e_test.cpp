// --engine kube end to end: the core profile with the local images as `podman kube play` pods. up brings it to
// ready and migrated, services reach each other by their names (postgresql:5432) as under compose, logs and
// wait-ready work, and `down --volumes` leaves no pod, container, volume or network of the project.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "envctl/engine/podman_cli.hpp"
#include "support/busybox_image.hpp"
#include "support/core_project.hpp"
#include "support/envctl_project.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

std::string podman_text(const std::vector<std::string>& args) {
    auto r = envctl::test::podman(args);
    EXPECT_EQ(r.exit_code, 0) << output(r);
    return r.out;
}

// The e2e stack (tests/data/e2e/stack.yaml) on --engine kube, ports from `base`.
std::unique_ptr<envctl::test::EnvctlProject> e2e_project(const std::string& tag, int base) {
    return std::make_unique<envctl::test::EnvctlProject>(
        "e2ek-" + tag, "e2e/stack.yaml",
        std::map<std::string, std::string>{{"E2E_WEB_PORT", std::to_string(base)},
                                           {"E2E_API_PORT", std::to_string(base + 1)},
                                           {"E2E_SICK_PORT", std::to_string(base + 2)},
                                           {"E2E_CRASH_PORT", std::to_string(base + 3)},
                                           {"E2E_SLOW_PORT", std::to_string(base + 4)},
                                           {"ENVCTL_ENGINE", "kube"}});
}

void expect_no_pod_or_container(const std::string& project) {
    const std::string label = "label=io.podman.compose.project=" + project;
    EXPECT_EQ(podman_text({"pod", "ps", "--filter", label, "-q"}), "") << "pods left";
    EXPECT_EQ(podman_text({"ps", "-a", "--filter", label, "-q"}), "") << "containers left";
}

}  // namespace

TEST(KubeEngineE2E, CoreProfileUpMigratesResolvesByNameAndDownLeavesNothing) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::core_images_present(&why), why);

    const std::string project = "e2ekube";
    const std::string label = "label=io.podman.compose.project=" + project;
    envctl::test::CoreProject core({{"ENVCTL_PROJECT", project}, {"ENVCTL_ENGINE", "kube"}, {"POSTGRES_PORT", "27201"},
                                    {"REDIS_DAPR_PORT", "27202"}, {"AZURITE_BLOB_PORT", "27203"}});
    auto envctl = [&](const std::vector<std::string>& args) { return core.envctl(args); };

    auto up = envctl({"up", "--json"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    auto status = envctl({"status", "--json"});
    ASSERT_EQ(status.exit_code, 0) << output(status);
    auto doc = nlohmann::json::parse(status.out);
    envctl::test::expect_core_ready_and_migrated(doc);
    ASSERT_EQ(doc["services"].size(), 3u) << status.out;

    // One pod per service, each container named after its pod, the project's labels on both.
    auto pods = envctl::engine::output_lines(podman_text({"pod", "ps", "--filter", label, "--format", "{{.Name}}"}));
    EXPECT_EQ(pods.size(), 3u) << podman_text({"pod", "ps"});
    const std::string redis = project + "-redis-dapr-pod-0-redis-dapr";
    // Other pods reach postgresql by the service's name, as under compose: its name resolves, and a connection to
    // postgresql:5432 from azurite's pod (node) is accepted.
    auto resolved = envctl::test::podman({"exec", redis, "getent", "hosts", "postgresql"});
    EXPECT_EQ(resolved.exit_code, 0) << output(resolved);
    EXPECT_FALSE(resolved.out.empty());
    auto reach = envctl::test::podman(
        {"exec", project + "-azurite-pod-0-azurite", "node", "-e",
         "require('net').connect(5432, 'postgresql').on('connect', () => { console.log('reached'); process.exit(0); })"
         ".on('error', (e) => { console.error(e.message); process.exit(1); })"});
    EXPECT_EQ(reach.exit_code, 0) << output(reach);
    EXPECT_NE(reach.out.find("reached"), std::string::npos) << output(reach);

    auto wait = envctl({"wait-ready", "--timeout", "10s"});
    EXPECT_EQ(wait.exit_code, 0) << output(wait);
    auto logs = envctl({"logs", "postgresql", "--tail", "5"});
    EXPECT_EQ(logs.exit_code, 0) << output(logs);
    EXPECT_FALSE(logs.out.empty());
    // The settings' values were in a private file only while the plays ran; the Deployments are private too.
    const auto run_dir = core.dir() / ".envctl" / "projects" / project / "run" / "kube";
    EXPECT_FALSE(std::filesystem::exists(run_dir / "values.yaml"));
    struct stat st {};
    ASSERT_EQ(::stat((run_dir / "postgresql.yaml").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    for (const char* secret : {"development", "services-development", "content-development"})
        EXPECT_EQ(output(up).find(secret), std::string::npos) << secret;

    auto down = envctl({"down", "--volumes"});
    ASSERT_EQ(down.exit_code, 0) << output(down);
    EXPECT_EQ(podman_text({"pod", "ps", "--filter", label, "-q"}), "");
    EXPECT_EQ(podman_text({"ps", "-a", "--filter", label, "-q"}), "");
    EXPECT_EQ(podman_text({"pod", "ps", "--filter", "name=" + project + "-", "-q"}), "");
    auto volumes = podman_text({"volume", "ls", "--format", "{{.Name}}"});
    EXPECT_EQ(volumes.find(project + "_"), std::string::npos) << volumes;
    EXPECT_NE(envctl::test::podman({"network", "exists", project + "_default"}).exit_code, 0);
}

// The failure path as with the other engines (lifecycle_e2e_test.cpp): a service that never gets healthy is
// reported with its probe's view and its redacted log, torn down, retried once, and the up exits 3; one whose
// container exits at start exits 4. Neither leaves a pod.
TEST(KubeEngineE2E, NeverHealthyIsRetriedThenReportedAndAnExitingContainerExitsFour) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    auto sick = e2e_project("sick", 26250);
    auto up = sick->run({"--profile", "sick", "up", "--attempts", "2"});
    EXPECT_EQ(up.exit_code, 3) << output(up);
    EXPECT_NE(up.err.find("attempt 2 of 2"), std::string::npos) << up.err;
    auto reports = sick->reports();
    EXPECT_NE(reports.find("HTTP 404"), std::string::npos) << reports;
    EXPECT_NE(reports.find("starting with token ***"), std::string::npos) << "the log tail, redacted: " << reports;
    for (const auto& secret : sick->secrets()) EXPECT_EQ((output(up) + reports).find(secret), std::string::npos);
    expect_no_pod_or_container(sick->name());

    auto crash = e2e_project("crash", 26260);
    auto crashed = crash->run({"--profile", "crash", "up", "--attempts", "1"});
    EXPECT_EQ(crashed.exit_code, 4) << output(crashed);
    EXPECT_NE(crash->reports().find("cannot start"), std::string::npos) << "its last log lines are in the report";
    expect_no_pod_or_container(crash->name());
}
