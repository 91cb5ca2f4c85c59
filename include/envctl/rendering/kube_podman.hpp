#pragma once
// The podman flavour of the Kubernetes rendering (rendering/kube.hpp): what `podman kube play` (4.3) runs for
// `--engine kube`, rendered at run time from the same objects as the committed tree, changed only where podman
// needs it:
//   - a Deployment per service named <project>-<service> (pod <project>-<service>-pod-0, container
//     <project>-<service>-pod-0-<service>): pod names are global to podman, so the project is part of them; a
//     StatefulSet becomes a Deployment whose named volumes are persistentVolumeClaim volumes of the podman volumes
//     <project>_<volume> (podman 4.3 knows no StatefulSet and no volumeClaimTemplate);
//   - the pod template carries podman-compose's labels (project, service) and io.envctl.config-hash, which podman
//     gives every container of the pod, so the engine finds, compares and removes them as the others' containers;
//   - mounted files as hostPath volumes of the project's files (podman 4.3 mounts no ConfigMap volume);
//   - every value read from the settings (a ${VAR} of an environment value) comes from one ConfigMap
//     <project>-secrets that podman reads from a private file (`--configmap`): podman 4.3 reads secretKeyRef only
//     from its own secret store and expands no $(VAR), so a value with a reference inside longer text is resolved
//     whole into that ConfigMap, and command words are resolved in the workload itself;
//   - host ports (hostPort/hostIP) from the port variables on ENVCTL_BIND_ADDRESS;
//   - restartPolicy Never: a container that exits stays exited, for envctl's failure path, as under the other
//     engines (a cluster restarts it).
// Probes, strategy and terminationGracePeriodSeconds stay as on a cluster: podman 4.3 ignores them; envctl polls
// readiness itself and stops pods with each service's stop grace.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "envctl/core/references.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/rendering/service_model.hpp"

namespace envctl::rendering::kube {

struct PodmanOptions {
    std::string project = "intl";
    std::filesystem::path project_dir;                              // mounted files are found here
    std::string bind_address = "127.0.0.1";                         // ENVCTL_BIND_ADDRESS
    std::function<int(const std::string& variable)> host_port;      // a port variable's host port
    references::Lookup lookup;                                      // what a ${VAR} resolves to
    std::map<std::string, std::string> config_hashes;               // service -> label io.envctl.config-hash
    bool relative_host_paths = false;  // hostPath as the descriptor's path (podman resolves it in its working dir)
};

struct PodmanPlay {
    std::map<std::string, std::string> workloads;  // service -> its Deployment (YAML); no value of the ConfigMap
    std::string values;                            // the ConfigMap <project>-secrets (YAML): secrets, write it 0600
};

// Throws envctl::Error(usage) as render() does, and for a required ${VAR} that is unset.
PodmanPlay podman_play(const std::vector<ServiceModel>& services, const PodmanOptions& options);

// The committed podman flavour (k8s/podman/ of `generate --format kube`): podman/<service>/deployment.yaml (the
// Deployment podman_play renders, hostPaths relative to the project folder, host ports from `host_port`, no config
// hash), podman/<service>/kustomization.yaml and podman/profiles/<profile>/kustomization.yaml. Its values stay
// in the ConfigMap <project>-secrets, which the tree does not contain. Throws Error(usage) for a service whose
// entrypoint or command holds a ${VAR} (it would be resolved into the file).
std::map<std::string, std::string> podman_tree(const descriptors::Stack& stack, const PodmanOptions& options);

std::string podman_pod_name(const std::string& project, const std::string& service);
std::string podman_container_name(const std::string& project, const std::string& service);

}  // namespace envctl::rendering::kube
