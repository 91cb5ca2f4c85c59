#pragma once
// Private to the Kubernetes rendering: the objects of one service, as JSON trees the YAML text module writes.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/rendering/kube.hpp"
#include "envctl/rendering/service_model.hpp"

namespace envctl::rendering::kube::detail {

using Json = nlohmann::ordered_json;

// One file of a generated ConfigMap: its key, the project-relative file it comes from, and where it appears
// under the mount (its path in the volume).
struct ConfigFile {
    std::string key;
    std::string source;
    std::string path;
};

struct ConfigMap {
    std::string name;
    std::vector<ConfigFile> files;
};

struct ServiceObjects {
    std::string workload_file;  // "deployment.yaml" or "statefulset.yaml"
    Json workload;
    Json service;
    std::vector<ConfigMap> config_maps;
};

ServiceObjects service_objects(const ServiceModel& model, const Options& options);

// The labels every object of the service carries, and the subset its selectors use.
Json labels(const ServiceModel& model, const std::string& project);
Json selector_labels(const ServiceModel& model, const std::string& project);

}  // namespace envctl::rendering::kube::detail
