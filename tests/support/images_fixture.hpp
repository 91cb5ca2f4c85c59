#pragma once
// For the local-image tests: the four images built once (a no-op `envctl images build` when their recipes are
// unchanged: CI builds them before the tests), the envctl binary, and containers removed at the end of a test.

#include <chrono>
#include <string>
#include <vector>

#include "envctl/util/subprocess.hpp"

namespace envctl::test {

// Runs `envctl images build postgresql redis azurite busybox` once per test process. False, with the reason and
// the command's output, when it fails (or podman/mmdebstrap is missing).
bool ensure_local_images(std::string* why_not);

// The envctl binary with `args`, from the repository root (--project-dir set), with `timeout`.
subprocess::Result run_envctl(const std::vector<std::string>& args, std::chrono::seconds timeout,
                              const subprocess::Environment& extra_env = {});

// `podman ARGS...`, 60 s.
subprocess::Result podman_call(const std::vector<std::string>& args);

// A container (and its named volumes) removed, with anything left of an earlier run, before and after the test.
class ScopedContainer {
public:
    ScopedContainer(std::string name, std::vector<std::string> volumes = {});
    ~ScopedContainer();
    ScopedContainer(const ScopedContainer&) = delete;
    ScopedContainer& operator=(const ScopedContainer&) = delete;

    const std::string& name() const { return name_; }
    // `podman run -d --name NAME ARGS...`; false (and why) when it fails.
    bool run(const std::vector<std::string>& args, std::string* why_not);
    // `podman stop -t 10 NAME`, timed.
    std::chrono::milliseconds stop();
    // The users the container's processes run as (`podman top NAME user`).
    std::vector<std::string> process_users();
    std::string logs();

private:
    void remove();
    std::string name_;
    std::vector<std::string> volumes_;
};

}  // namespace envctl::test
