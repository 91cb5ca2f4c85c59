#pragma once
// The 3-level busybox httpd stack of tests/data/engine/three_level.yml (alpha <- beta <- gamma), on its own
// project name, for both engines: the podman-compose engine runs a copy of that file, the native engine the
// equivalent ProjectSpec built here. Construction and destruction remove everything of the project.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/engine/engine.hpp"
#include "envctl/engine/service_spec.hpp"
#include "envctl/util/subprocess.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {

class EngineTestStack {
public:
    // Ports base_port, base_port+1, base_port+2 (alpha, beta, gamma) on 127.0.0.1.
    EngineTestStack(std::string project, int base_port);
    ~EngineTestStack();
    EngineTestStack(const EngineTestStack&) = delete;
    EngineTestStack& operator=(const EngineTestStack&) = delete;

    const std::string& project() const { return project_; }
    const std::filesystem::path& compose_file() const { return compose_file_; }
    const std::filesystem::path& root() const { return dir_.path(); }  // holds run/compose.yml
    static std::vector<std::string> services() { return {"alpha", "beta", "gamma"}; }
    static std::vector<std::vector<std::string>> levels() { return {{"alpha"}, {"beta"}, {"gamma"}}; }
    int port(const std::string& service) const;

    // Changes the service's settings as a new run file would: its io.envctl.config-hash.
    void set_hash(const std::string& service, const std::string& hash) { hashes_[service] = hash; }
    // The environment every podman / podman-compose call of the test gets (ENGINETEST_* set).
    subprocess::Environment environment() const;
    engine::ProjectSpec spec() const;

    // Engines as of the current settings (make a new one after set_hash, as a new envctl run would).
    // use_api false: the native engine through podman processes only, as when podman's API does not answer.
    std::unique_ptr<engine::Engine> native(bool use_api = true) const;
    std::unique_ptr<engine::Engine> compose() const;

    // podman-compose -p PROJECT -f FILE args... with the test environment.
    subprocess::Result podman_compose(const std::vector<std::string>& args, int timeout_seconds = 120) const;
    // Names of what is left of the project: containers, networks, volumes.
    std::vector<std::string> leftovers() const;
    void remove_everything() const;

private:
    std::string project_;
    int base_port_;
    TempDir dir_;
    std::filesystem::path compose_file_;
    std::map<std::string, std::string> hashes_;
};

// A busybox httpd service (PID 1 ignores SIGTERM) publishing container port 8080 on 127.0.0.1:port.
engine::ServiceSpec busybox_httpd(const std::string& name, const std::string& group, int port);
// What `podman inspect` says about a container's settings (image, command, environment, labels, ports, mounts,
// healthcheck, resources, network aliases), after replacing each `from` by its `to` (project names, folders), and
// without what podman adds on its own (HOSTNAME and HOME at start, the short id as an alias). For comparing engines.
nlohmann::json container_settings(const std::string& container,
                                  const std::vector<std::pair<std::string, std::string>>& replacements);
// `podman args...` with a 60 s timeout.
subprocess::Result podman(const std::vector<std::string>& args);

}  // namespace envctl::test
