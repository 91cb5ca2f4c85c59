#include "support/azure_emulators.hpp"

#include <filesystem>
#include <thread>

#include "envctl/health/probes.hpp"
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
