#include "support/azure_emulators.hpp"

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "envctl/health/clock.hpp"
#include "envctl/health/probes.hpp"
#include "envctl/verify/runner.hpp"
#include "support/test_paths.hpp"
#include "support/engine_stack.hpp"

namespace envctl::test {

EmulatorContainer::EmulatorContainer(std::string name, const std::string& image, std::vector<std::pair<int, int>> ports,
                                     const std::vector<std::string>& args)
    : name_(std::move(name)) {
    podman({"rm", "-f", "-t", "0", name_});
    std::vector<std::string> argv{"run", "-d", "--name", name_};
    for (const auto& [host, container] : ports) {
        argv.push_back("-p");
        argv.push_back("127.0.0.1:" + std::to_string(host) + ":" + std::to_string(container));
    }
    argv.push_back(image);
    argv.insert(argv.end(), args.begin(), args.end());
    const auto run = podman(argv);
    if (!run.ok()) {
        error_ = "podman run " + image + ": " + run.describe();
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (const auto& [host, container] : ports) {
        health::AttemptContext ctx;
        ctx.timeout = std::chrono::seconds(1);
        while (health::run_attempt(health::tcp_probe("127.0.0.1", host), ctx).outcome != health::Outcome::ok) {
            if (std::chrono::steady_clock::now() > deadline) {
                error_ = image + ": port " + std::to_string(host) + " did not answer within 60 s: " +
                         podman({"logs", "--tail", "5", name_}).out;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
}

EmulatorContainer::~EmulatorContainer() { podman({"rm", "-f", "-t", "0", name_}); }

bool image_present(const std::string& image) { return podman({"image", "exists", image}).exit_code == 0; }

settings::Settings repo_settings(const std::map<std::string, std::string>& overrides) {
    return settings::load({.project_dir = std::filesystem::path(ENVCTL_REPO_ROOT)}, overrides, "/");
}

verify::StepEnv verify_step_env(const settings::Settings& settings, const std::string& service) {
    verify::StepEnv env;
    env.settings = &settings;
    env.service = service;
    return env;
}

void run_failing_and_hanging_checks(const std::vector<descriptors::VerifyCheck>& declared,
                                    const settings::Settings& settings, const std::string& service) {
    using namespace std::chrono_literals;
    std::vector<verify::Check> checks;
    for (std::size_t i = 0; i < 2; ++i)
        checks.push_back({"azure", service, declared.at(i).name, [&, i](Deadline d) {
                              return verify::run_declared(declared[i], verify_step_env(settings, service), d, 5s);
                          },
                          ""});
    verify::RunOptions options;
    options.category_timeout = 3s;
    const auto report = verify::run_checks(checks, options, health::real_clock());
    ASSERT_EQ(report.checks.size(), 2u);
    EXPECT_EQ(report.checks[0].status, verify::Status::fail) << report.checks[0].detail;
    EXPECT_NE(report.checks[0].detail.find("step 2 (http)"), std::string::npos) << report.checks[0].detail;
    // The hanging step waits out the category's deadline: the runner reports `timeout`, or the step's own timeout
    // (the time left) ends it a moment before the runner looks.
    EXPECT_TRUE(report.checks[1].status == verify::Status::timeout ||
                (report.checks[1].status == verify::Status::fail && report.checks[1].detail.find("timed out") != std::string::npos))
        << report.checks[1].detail;
}

bool azure_sdk_installed(const std::string& package) {
    return std::filesystem::exists(std::filesystem::path(ENVCTL_REPO_ROOT) / "scripts/azure/node_modules" / package / "package.json");
}

subprocess::Result azure_sdk(const std::string& script, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) {
    subprocess::Spec spec;
    spec.argv = {"node", std::string(ENVCTL_REPO_ROOT) + "/scripts/azure/" + script};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    auto environment = subprocess::current_environment();
    for (const auto& [k, v] : env) environment[k] = v;
    spec.env = environment;
    spec.timeout = std::chrono::seconds(30);
    return subprocess::run(spec);
}

}  // namespace envctl::test
