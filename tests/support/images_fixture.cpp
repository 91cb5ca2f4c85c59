#include "support/images_fixture.hpp"
#include "support/test_paths.hpp"

#include <mutex>
#include <sstream>

namespace envctl::test {

bool ensure_local_images(std::string* why_not) {
    static std::once_flag once;
    static bool ok = false;
    static std::string reason;
    std::call_once(once, [] {
        for (const char* program : {"podman", "mmdebstrap"}) {
            if (!subprocess::find_program(program)) {
                reason = std::string(program) + " is not installed";
                return;
            }
        }
        // A no-op when the images exist with their recipes' hashes (CI builds them before the tests).
        auto r = run_envctl({"images", "build", "postgresql", "redis", "azurite", "busybox"}, std::chrono::seconds(3600));
        ok = r.ok();
        if (!ok) reason = "envctl images build failed (" + r.describe() + "):\n" + r.out + r.err;
    });
    if (!ok && why_not) *why_not = reason;
    return ok;
}

subprocess::Result run_envctl(const std::vector<std::string>& args, std::chrono::seconds timeout,
                              const subprocess::Environment& extra_env) {
    subprocess::Spec spec;
    spec.argv = {ENVCTL_BINARY, "--project-dir", ENVCTL_REPO_ROOT};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    auto env = subprocess::current_environment();
    env.erase("ENVCTL_IMAGES");
    env.erase("ENVCTL_PROFILE");
    for (const auto& [k, v] : extra_env) env[k] = v;
    spec.env = env;
    spec.timeout = timeout;
    return subprocess::run(spec);
}

subprocess::Result podman_call(const std::vector<std::string>& args) {
    subprocess::Spec spec;
    spec.argv = {"podman"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = std::chrono::seconds(60);
    return subprocess::run(spec);
}

ScopedContainer::ScopedContainer(std::string name, std::vector<std::string> volumes)
    : name_(std::move(name)), volumes_(std::move(volumes)) {
    remove();
}

ScopedContainer::~ScopedContainer() { remove(); }

void ScopedContainer::remove() {
    podman_call({"rm", "-f", "-t", "0", "--ignore", name_});
    for (const auto& v : volumes_) podman_call({"volume", "rm", "-f", v});
}

bool ScopedContainer::run(const std::vector<std::string>& args, std::string* why_not) {
    std::vector<std::string> argv{"run", "-d", "--name", name_};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = podman_call(argv);
    if (!r.ok() && why_not) *why_not = "podman run failed (" + r.describe() + "): " + r.err;
    return r.ok();
}

std::chrono::milliseconds ScopedContainer::stop() {
    auto started = std::chrono::steady_clock::now();
    podman_call({"stop", "-t", "10", name_});
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
}

std::vector<std::string> ScopedContainer::process_users() {
    auto r = podman_call({"top", name_, "user"});
    std::vector<std::string> users;
    std::istringstream in(r.out);
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (header) {
            header = false;
            continue;
        }
        auto end = line.find_first_of(" \t");
        if (!line.empty()) users.push_back(line.substr(0, end));
    }
    return users;
}

std::string ScopedContainer::logs() {
    auto r = podman_call({"logs", "--tail", "30", name_});
    return r.out + r.err;
}

}  // namespace envctl::test
