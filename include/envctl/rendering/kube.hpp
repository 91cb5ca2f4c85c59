#pragma once
// Kubernetes rendering of the service model (rendering/service_model.hpp): a kustomize tree that `kubectl
// kustomize` renders and `kubectl apply -k` applies, deterministic byte for byte.
//
//   base/kustomization.yaml              every service
//   base/<service>/kustomization.yaml    the service on its own: its workload, its Service, its ConfigMaps
//   base/<service>/statefulset.yaml      a StatefulSet when the service owns a data volume (one volumeClaimTemplate
//   base/<service>/deployment.yaml         per volume), else a Deployment; one replica
//   base/<service>/service.yaml          a headless Service named as the service, with its container ports
//   base/<service>/files/<source>        copies of the files under compose/ it mounts (configMapGenerator)
//   profiles/<profile>/kustomization.yaml  the profile's services (with their dependencies)
//
// Secrets are never in the tree: every ${VAR} a workload references is read from the Secret <project>-secrets
// (secretKeyRef), which `envctl kube secret` prints from the settings (secret_manifest).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "envctl/core/references.hpp"
#include "envctl/descriptors/stack.hpp"

namespace envctl::rendering::kube {

struct Options {
    std::string project = "intl";        // the Secret <project>-secrets, label app.kubernetes.io/part-of
    std::filesystem::path project_dir;   // mounted files are read from here
    std::string generated_by = "envctl generate --format kube";
};

// Path relative to the tree's root -> content.
using Tree = std::map<std::string, std::string>;

// Throws envctl::Error(usage) for what a cluster cannot express, naming the service and the value: a ${VAR} in
// an image, size, capability, user or signal; a user that is not numeric; a mounted file that cannot be read.
Tree render(const descriptors::Stack& stack, const Options& options);

// The Secret's name.
std::string secret_name(const std::string& project);

// The Secret <project>-secrets as YAML: every variable the services' workloads reference, with the value it
// resolves to under `lookup` (a reference's default when unset; an error for a required one).
std::string secret_manifest(const descriptors::Stack& stack, const std::vector<std::string>& services,
                            const std::string& project, const references::Lookup& lookup);

}  // namespace envctl::rendering::kube
