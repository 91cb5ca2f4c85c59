#include "envctl/rendering/kube_podman.hpp"

#include <filesystem>

#include "../compose/yaml_text.hpp"
#include "envctl/core/error.hpp"
#include "envctl/rendering/kube.hpp"
#include "kube_objects.hpp"

namespace envctl::rendering::kube {
namespace {

using detail::Json;
namespace fs = std::filesystem;

std::string workload_name(const std::string& project, const std::string& service) { return project + "-" + service; }

Json config_map_ref(const std::string& name, const std::string& config_map, const std::string& key) {
    return {{"name", name}, {"valueFrom", {{"configMapKeyRef", {{"name", config_map}, {"key", key}}}}}};
}

// The container's environment: literal values as they are, a whole ${VAR} from the ConfigMap under VAR's name, a
// value with references inside longer text resolved whole into the ConfigMap under <service>.<name>.
Json environment(const ServiceModel& m, const PodmanOptions& o, Json& values) {
    const std::string config_map = secret_name(o.project);
    Json env = Json::array();
    for (const auto& [key, value] : m.environment) {
        const std::string where = "service " + m.name + ", environment " + key;
        if (auto ref = references::whole_reference(value)) {
            values[ref->name] = references::value_of(*ref, o.lookup, where);
            env.push_back(config_map_ref(key, config_map, ref->name));
        } else if (!references::names(value).empty()) {
            const std::string entry = m.name + "." + key;
            values[entry] = references::substitute(value, o.lookup, where);
            env.push_back(config_map_ref(key, config_map, entry));
        } else {
            env.push_back({{"name", key}, {"value", references::substitute(value, o.lookup, where)}});
        }
    }
    return env;
}

Json words(const std::vector<std::string>& text, const PodmanOptions& o, const std::string& where) {
    Json out = Json::array();
    for (const auto& w : text) out.push_back(references::substitute(w, o.lookup, where));
    return out;
}

// Mounted files: the pod's volumes for m.mounts come first and in their order (kube_objects.cpp); each becomes a
// hostPath of the project's file or folder, mounted whole (no subPath).
void host_paths(const ServiceModel& m, const PodmanOptions& o, Json& pod, Json& container) {
    for (std::size_t i = 0; i < m.mounts.size(); ++i) {
        Json& volume = pod["volumes"][i];
        const auto& mount = m.mounts[i];
        const fs::path source = fs::weakly_canonical(o.project_dir / mount.source);
        std::error_code ec;
        const char* type = !mount.read_only ? "DirectoryOrCreate"
                           : fs::is_directory(source, ec) ? "Directory"
                                                          : "File";
        const std::string path = o.relative_host_paths ? fs::path(mount.source).generic_string() : source.string();
        volume = {{"name", volume["name"]}, {"hostPath", {{"path", path}, {"type", type}}}};
        for (auto& vm : container["volumeMounts"])
            if (vm["name"] == volume["name"]) vm.erase("subPath");
    }
}

Json deployment(const ServiceModel& m, const PodmanOptions& o, Json& values) {
    Options cluster;
    cluster.project = o.project;
    cluster.project_dir = o.project_dir;
    auto objects = detail::service_objects(m, cluster);
    Json spec = objects.workload["spec"];
    Json& pod = spec["template"]["spec"];
    Json& container = pod["containers"][0];
    const std::string where = "service " + m.name;

    if (!m.entrypoint.empty()) container["command"] = words(m.entrypoint, o, where + ", entrypoint");
    if (!m.command.empty()) container["args"] = words(m.command, o, where + ", command");
    if (!m.environment.empty()) container["env"] = environment(m, o, values);
    for (std::size_t i = 0; i < m.ports.size(); ++i) {
        container["ports"][i]["hostPort"] = o.host_port(m.ports[i].variable);
        container["ports"][i]["hostIP"] = o.bind_address;
    }
    host_paths(m, o, pod, container);
    for (const auto& v : m.volumes)
        pod["volumes"].push_back(
            {{"name", v.name}, {"persistentVolumeClaim", {{"claimName", o.project + "_" + v.name}}}});
    pod["restartPolicy"] = "Never";

    Json& labels = spec["template"]["metadata"]["labels"];
    labels["io.podman.compose.project"] = o.project;
    labels["com.docker.compose.project"] = o.project;
    labels["com.docker.compose.service"] = m.name;
    if (auto it = o.config_hashes.find(m.name); it != o.config_hashes.end()) labels["io.envctl.config-hash"] = it->second;

    spec.erase("serviceName");
    spec.erase("volumeClaimTemplates");
    if (!spec.contains("strategy")) spec["strategy"] = {{"type", "Recreate"}};
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", workload_name(o.project, m.name)}, {"labels", objects.workload["metadata"]["labels"]}}},
            {"spec", spec}};
}

}  // namespace

std::map<std::string, std::string> podman_tree(const descriptors::Stack& stack, const PodmanOptions& o) {
    const std::string header = "# Generated by `envctl generate --format kube` from envctl's service descriptors: "
                               "do not edit.\n# podman 4.3's flavour for `podman kube play` (README: the kube engine).\n";
    auto kustomization = [](const Json& resources) {
        return Json{{"apiVersion", "kustomize.config.k8s.io/v1beta1"}, {"kind", "Kustomization"}, {"resources", resources}};
    };
    std::map<std::string, std::string> tree;
    Json values = Json::object();  // never written: the tree holds no value of the settings
    for (const auto& d : stack.services) {
        const ServiceModel m = service_model(d, settings::ImageFlavour::upstream);
        for (const auto* text : {&m.entrypoint, &m.command})
            for (const auto& word : *text)
                if (!references::names(word).empty())
                    throw Error(ExitCode::usage, "service " + m.name + ": a ${VAR} in its entrypoint or command would be "
                                                 "written into k8s/podman/; podman 4.3 cannot read it from a ConfigMap");
        const std::string dir = "podman/" + m.name + "/";
        tree[dir + "deployment.yaml"] = header + compose::detail::block(deployment(m, o, values));
        tree[dir + "kustomization.yaml"] = header + compose::detail::block(kustomization(Json::array({"deployment.yaml"})));
    }
    for (const auto& [profile, members] : stack.profiles) {
        Json resources = Json::array();
        for (const auto& name : stack.with_dependencies(stack.profile_services(profile))) resources.push_back("../../" + name);
        tree["podman/profiles/" + profile + "/kustomization.yaml"] = header + compose::detail::block(kustomization(resources));
    }
    return tree;
}

std::string podman_pod_name(const std::string& project, const std::string& service) {
    return workload_name(project, service) + "-pod-0";
}

std::string podman_container_name(const std::string& project, const std::string& service) {
    return podman_pod_name(project, service) + "-" + service;
}

PodmanPlay podman_play(const std::vector<ServiceModel>& services, const PodmanOptions& o) {
    PodmanPlay out;
    Json values = Json::object();
    const std::string header = "# Rendered by envctl for `podman kube play` (--engine kube): do not edit.\n";
    for (const auto& m : services) out.workloads[m.name] = header + compose::detail::block(deployment(m, o, values));
    const Json config_map = {{"apiVersion", "v1"},
                             {"kind", "ConfigMap"},
                             {"metadata", {{"name", secret_name(o.project)}}},
                             {"data", values}};
    out.values = compose::detail::block(config_map);
    return out;
}

}  // namespace envctl::rendering::kube
