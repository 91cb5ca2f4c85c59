#pragma once
// The kube engine (--engine kube): runs each service as a pod of `podman kube play`, from the podman flavour of the
// Kubernetes rendering (rendering/kube_podman.hpp). create() makes the project network and named volumes (with
// podman-compose's labels, as the other engines) and removes the containers whose settings changed (and the pods
// of the services it leaves to start() to play); start() plays
// the missing services' Deployments concurrently, one `podman kube play` each, on the project network
// with the service's name as its network alias (so `postgresql:5432` resolves as under compose), the settings'
// values from a private ConfigMap file that exists only while the plays run. Teardown removes the project's pods
// (by label, each with its service's stop grace), then whatever else the project has, as the other engines.
// Listing, logs and exec are the other engines' (the pods' containers carry the same labels).

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/engine/podman_backed_engine.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::engine {

// What the plays need, prepared on first use by create() or start().
struct KubePlayFiles {
    std::map<std::string, std::filesystem::path> workloads;    // service -> its Deployment file
    std::map<std::string, std::string> config_hashes;          // service -> io.envctl.config-hash of its containers
    std::map<std::string, std::vector<std::string>> volumes;   // service -> its named volumes, full names
    std::string values;                                        // the ConfigMap of settings' values (secret)
    std::filesystem::path values_file;                         // where it is written (0600) while plays run
};

// Renders the podman flavour of `services` under the settings (kube_play_files.cpp): each Deployment written to
// <state>/run/kube/<service>.yaml (0600: a command word may hold a setting's value), the values kept for start().
// The run file is written too (its options give the config hashes, as for the other engines).
KubePlayFiles prepare_kube_play(const settings::Settings& settings, const descriptors::Stack& stack,
                                const std::vector<std::string>& services, Deadline deadline);

class KubeEngine : public PodmanBackedEngine {
public:
    KubeEngine(EngineProject project, std::function<KubePlayFiles()> prepare);

    std::string name() const override { return "kube"; }
    void create(const std::vector<std::string>& services, Deadline deadline) override;

protected:
    std::string container(const std::string& service) const override;
    std::optional<std::vector<std::string>> run_argv(const std::string& service) const override;
    void start_jobs(const std::vector<PodmanCli::StartJob>& jobs, Deadline deadline) override;
    bool try_remove_project(bool volumes, const std::vector<std::string>& known_volumes,
                            const StopSeconds& stop_seconds, Deadline deadline) override;
    bool try_remove_named(const std::vector<PodmanCli::Removal>& containers, const std::vector<std::string>& volumes,
                          Deadline deadline) override;

private:
    const KubePlayFiles& files() const;
    // The pod of a container of this project (empty when the name is none of the stack's services').
    std::string pod_of(const std::string& container) const;
    // Removes the pods (name -> seconds of stop grace), one `podman pod rm` per distinct grace, all at once.
    void remove_pods(const std::map<std::string, int>& pods, Deadline deadline) const;

    std::function<KubePlayFiles()> prepare_;
    mutable std::optional<KubePlayFiles> files_;
    std::vector<std::string> services_;  // every service of the stack (pods are named after them)
};

}  // namespace envctl::engine
