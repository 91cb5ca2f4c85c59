// engine::make on real settings, descriptors and the real run file: both engines create what the renderer's
// compose file says (config-hash labels included), podman-compose manages the native engine's containers, and a
// changed descriptor recreates only its service.

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "envctl/compose/renderer.hpp"
#include "envctl/engine/factory.hpp"
#include "envctl/engine/run_facts.hpp"
#include "envctl/settings/settings.hpp"
#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {
namespace {

using descriptors::ServiceDescriptor;

Deadline in_seconds(int s) { return Clock::now() + std::chrono::seconds(s); }

ServiceDescriptor busybox(const std::string& name, const std::string& port_variable) {
    ServiceDescriptor d;
    d.name = name;
    d.image = kBusyboxImage;
    d.entrypoint = {"/bin/busybox"};
    d.command = {"httpd", "-f", "-p", "8080", "-h", "/"};
    d.ports = {descriptors::Port{port_variable, 8080, "tcp"}};
    d.memory = "64m";
    return d;
}

descriptors::Stack stack() {
    descriptors::Stack s;
    ServiceDescriptor alpha = busybox("alpha", "ENGINETEST_ALPHA_PORT");
    alpha.environment = {{"GREETING", "${ENGINETEST_GREETING}"}, {"FALLBACK", "${ENGINETEST_UNSET:-fallback}"}};
    alpha.volumes = {descriptors::Volume{"alpha-data", "/data"}};
    alpha.mounts = {descriptors::Mount{"compose/mounted.txt", "/etc/mounted.txt", true}};
    alpha.healthcheck = "/bin/busybox wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1";
    alpha.ready_budget = std::chrono::seconds(7);
    ServiceDescriptor beta = busybox("beta", "ENGINETEST_BETA_PORT");
    beta.depends_on = {"alpha"};
    beta.cap_add = {"NET_ADMIN"};
    beta.stop_signal = "SIGTERM";
    beta.group = descriptors::Group::observability;
    s.services = {alpha, beta};
    s.profiles["full"] = {"alpha", "beta"};
    return s;
}

// A project folder with its settings file; settings loaded as envctl loads them.
struct Project {
    TempDir dir;
    settings::Settings settings;

    Project(const std::string& name, int base_port, settings::EngineKind engine) {
        dir.write(".env.development", "POSTGRES_USER=u\nPOSTGRES_PASSWORD=p\nPOSTGRES_DB=d\nENVCTL_PROJECT=" + name +
                                          "\nENGINETEST_ALPHA_PORT=" + std::to_string(base_port) +
                                          "\nENGINETEST_BETA_PORT=" + std::to_string(base_port + 1) +
                                          "\nENGINETEST_GREETING=hello from the settings\n");
        dir.write("compose/mounted.txt", "mounted\n");
        auto env = subprocess::current_environment();
        for (auto it = env.begin(); it != env.end();) it = it->first.rfind("ENVCTL_", 0) == 0 ? env.erase(it) : ++it;
        settings::GlobalOptions options;
        options.project_dir = dir.path();
        settings = settings::load(options, env, dir.path());
        settings.engine = engine;
    }
};

std::map<std::string, engine::ContainerInfo> by_service(engine::Engine& e) {
    std::map<std::string, engine::ContainerInfo> out;
    for (auto& c : e.list(in_seconds(30))) out[c.service] = c;
    return out;
}

void up(engine::Engine& e, const descriptors::Stack& s) {
    e.create({"alpha", "beta"}, in_seconds(120));
    for (const auto& level : s.levels({"alpha", "beta"})) e.start(level, in_seconds(60));
}

class EngineFactory : public ::testing::TestWithParam<settings::EngineKind> {
protected:
    std::string name() const { return GetParam() == settings::EngineKind::podman ? "native" : "compose"; }
    int port() const { return GetParam() == settings::EngineKind::podman ? 25400 : 25410; }
};

TEST_P(EngineFactory, RunsTheRunFileAndRecreatesOnlyChangedServices) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    Project project("enginetest_factory_" + name(), port(), GetParam());
    EngineTestStack cleanup(project.settings.project, port());  // removes what the project leaves behind
    auto s = stack();
    auto e = engine::make(project.settings, s, {});
    EXPECT_EQ(e->name(), GetParam() == settings::EngineKind::podman ? "podman" : "podman-compose");
    up(*e, s);

    auto running = by_service(*e);
    // As the run file and both engines hash: the resolved values, and what the containers run (mounts, image ids).
    const std::vector<std::string> names{"alpha", "beta"};
    auto options = compose::run_file_options(
        project.settings, names, engine::gather_run_facts(project.settings, s, names, in_seconds(30)));
    for (const auto& d : s.services) {
        EXPECT_EQ(running[d.name].state, engine::ContainerState::running) << d.name;
        EXPECT_EQ(running[d.name].config_hash, compose::service_config_hash(d, options)) << d.name;
    }
    auto greeting = e->exec("alpha", {"/bin/busybox", "sh", "-c", "echo $GREETING/$FALLBACK; cat /etc/mounted.txt"},
                            in_seconds(30));
    EXPECT_EQ(greeting.output, "hello from the settings/fallback\nmounted\n");

    // podman-compose on the run file sees the containers, whichever engine made them.
    subprocess::Spec ps;
    ps.argv = {"podman-compose", "-p", project.settings.project, "-f", project.settings.run_compose_file().string(),
               "ps"};
    ps.env = project.settings.child_environment();
    auto listed = subprocess::run(ps);
    EXPECT_NE(listed.out.find(project.settings.project + "_beta_1"), std::string::npos) << listed.out << listed.err;

    s.services[1].memory = "96m";  // beta's settings change; alpha's do not
    auto changed = engine::make(project.settings, s, {});
    up(*changed, s);
    auto after = by_service(*changed);
    EXPECT_EQ(after["alpha"].id, running["alpha"].id);
    EXPECT_NE(after["beta"].id, running["beta"].id);
    EXPECT_EQ(after["beta"].state, engine::ContainerState::running);

    changed->remove_all(true, in_seconds(60));
    EXPECT_EQ(cleanup.leftovers(), std::vector<std::string>{});
}

TEST(EngineFactoryParity, BothEnginesGiveTheRenderedServicesIdenticalContainers) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    // Same ports: podman-compose's containers are only created, so the native ones can publish them.
    Project via_compose("enginetest_fparity_compose", 25420, settings::EngineKind::podman_compose);
    Project via_native("enginetest_fparity_native", 25420, settings::EngineKind::podman);
    EngineTestStack cleanup_compose(via_compose.settings.project, 25420);
    EngineTestStack cleanup_native(via_native.settings.project, 25420);
    auto s = stack();
    engine::make(via_compose.settings, s, {})->create({"alpha", "beta"}, in_seconds(120));
    up(*engine::make(via_native.settings, s, {}), s);
    for (const auto& d : s.services) {
        auto a = container_settings(via_compose.settings.project + "_" + d.name + "_1",
                                    {{via_compose.settings.project, "P"}, {via_compose.dir.path().string(), "D"}});
        auto b = container_settings(via_native.settings.project + "_" + d.name + "_1",
                                    {{via_native.settings.project, "P"}, {via_native.dir.path().string(), "D"}});
        // The config hash covers each checkout's own mount paths (finding 7 of issue 14), so two projects in two
        // folders differ there by design; RunsTheRunFileAndRecreatesOnlyChangedServices checks it per engine.
        ASSERT_TRUE(a["labels"].contains("io.envctl.config-hash") && b["labels"].contains("io.envctl.config-hash"));
        a["labels"].erase("io.envctl.config-hash");
        b["labels"].erase("io.envctl.config-hash");
        EXPECT_EQ(a.dump(2), b.dump(2)) << d.name;
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineFactory,
                         ::testing::Values(settings::EngineKind::podman, settings::EngineKind::podman_compose),
                         [](const auto& param_info) {
                             return param_info.param == settings::EngineKind::podman ? "native" : "compose";
                         });

}  // namespace
}  // namespace envctl::test
