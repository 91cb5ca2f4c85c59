#include "envctl/engine/kube_engine.hpp"

#include <set>
#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/engine/service_spec.hpp"
#include "envctl/rendering/kube_podman.hpp"
#include "envctl/util/files.hpp"

namespace envctl::engine {
namespace {

// Removes the file when it goes out of scope (the settings' values exist only while the plays run).
class RemovedAtEnd {
public:
    explicit RemovedAtEnd(std::filesystem::path path) : path_(std::move(path)) {}
    RemovedAtEnd(const RemovedAtEnd&) = delete;
    RemovedAtEnd& operator=(const RemovedAtEnd&) = delete;
    ~RemovedAtEnd() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }

private:
    std::filesystem::path path_;
};

}  // namespace

KubeEngine::KubeEngine(EngineProject project, std::function<KubePlayFiles()> prepare)
    : PodmanBackedEngine(project), prepare_(std::move(prepare)) {
    for (const auto& [service, teardown] : project.teardown) services_.push_back(service);
}

const KubePlayFiles& KubeEngine::files() const {
    if (!files_) files_ = prepare_();
    return *files_;
}

std::string KubeEngine::container(const std::string& service) const {
    return rendering::kube::podman_container_name(cli().project(), service);
}

std::string KubeEngine::pod_of(const std::string& container_name) const {
    for (const auto& service : services_)
        if (container(service) == container_name) return rendering::kube::podman_pod_name(cli().project(), service);
    return "";
}

void KubeEngine::create(const std::vector<std::string>& services, Deadline deadline) {
    const KubePlayFiles& f = files();
    std::vector<std::string> volumes;
    std::set<std::string> seen;
    for (const auto& service : services) {
        if (f.workloads.count(service) == 0)
            throw Error(ExitCode::internal, "service " + service + " is not part of the run");
        for (const auto& v : f.volumes.at(service))
            if (seen.insert(v).second) volumes.push_back(v);
    }
    // A changed container goes (with its grace), then the pod of every service to play: a changed container's, or
    // one left without its container. (`kube play --replace` would stop it with podman's 10 s default.)
    auto missing = remove_stale(services, [&](const std::string& s) { return f.config_hashes.at(s); }, deadline);
    if (missing.empty()) return;
    std::map<std::string, int> pods;
    for (const auto& service : missing) pods[rendering::kube::podman_pod_name(cli().project(), service)] = 0;
    in_parallel(
        [&] {
            remove_pods(pods, deadline);
            cli().ensure_network(deadline);
        },
        [&] { cli().ensure_volumes(volumes, deadline); });
}

std::optional<std::vector<std::string>> KubeEngine::run_argv(const std::string& service) const {
    const KubePlayFiles& f = files();
    return std::vector<std::string>{"podman", "kube", "play", "--quiet",
                                    "--network", network_name(cli().project()) + ":alias=" + service,
                                    "--configmap", f.values_file.string(), f.workloads.at(service).string()};
}

void KubeEngine::start_jobs(const std::vector<PodmanCli::StartJob>& jobs, Deadline deadline) {
    bool plays = false;
    for (const auto& job : jobs) plays = plays || !job.run_argv.empty();
    if (!plays) {
        PodmanBackedEngine::start_jobs(jobs, deadline);
        return;
    }
    const KubePlayFiles& f = files();
    files::write_private(f.values_file, f.values);
    RemovedAtEnd values(f.values_file);
    PodmanBackedEngine::start_jobs(jobs, deadline);
}

void KubeEngine::remove_pods(const std::map<std::string, int>& pods, Deadline deadline) const {
    std::map<int, std::vector<std::string>> by_grace;
    for (const auto& [pod, seconds] : pods) by_grace[seconds].push_back(pod);
    std::vector<std::vector<std::string>> calls;
    for (auto& [seconds, names] : by_grace) {
        std::vector<std::string> argv{"podman", "pod", "rm", "-f", "-i", "-t", std::to_string(seconds)};
        argv.insert(argv.end(), names.begin(), names.end());
        calls.push_back(std::move(argv));
    }
    rethrow_failures(run_bounded(calls.size(), default_parallelism(), [&](std::size_t i) {
        cli().run(calls[i], deadline, "removing the pods of project " + cli().project(), ExitCode::internal);
    }));
}

bool KubeEngine::try_remove_project(bool /*volumes*/, const std::vector<std::string>& /*known_volumes*/,
                                    const StopSeconds& stop_seconds, Deadline deadline) {
    auto listed = cli().run({"podman", "pod", "ps", "--filter", std::string("label=") + kProjectLabel + "=" +
                                                                  cli().project(), "--format", "{{.Name}}"},
                            deadline, "listing the pods of project " + cli().project(), ExitCode::internal);
    std::map<std::string, int> pods;
    for (const auto& pod : output_lines(listed.out)) {
        int seconds = kDefaultStopSeconds;
        for (const auto& service : services_)
            if (rendering::kube::podman_pod_name(cli().project(), service) == pod) seconds = stop_seconds(container(service));
        pods[pod] = seconds;
    }
    remove_pods(pods, deadline);
    return false;  // the rest (containers of other engines, the network, the volumes) as the other engines
}

bool KubeEngine::try_remove_named(const std::vector<PodmanCli::Removal>& containers,
                                  const std::vector<std::string>& volumes, Deadline deadline) {
    std::map<std::string, int> pods;
    std::vector<PodmanCli::Removal> others;
    for (const auto& c : containers) {
        if (auto pod = pod_of(c.container); !pod.empty()) {
            pods[pod] = c.stop_seconds;
        } else {
            others.push_back(c);
        }
    }
    remove_pods(pods, deadline);
    cli().remove_containers(others, deadline);
    cli().remove_volumes(volumes, deadline);
    return true;
}

}  // namespace envctl::engine
