#include "envctl/compose/renderer.hpp"
#include "envctl/engine/kube_engine.hpp"
#include "envctl/engine/run_facts.hpp"
#include "envctl/rendering/kube_podman.hpp"
#include "envctl/util/files.hpp"

namespace envctl::engine {

KubePlayFiles prepare_kube_play(const settings::Settings& settings, const descriptors::Stack& stack,
                                const std::vector<std::string>& services, Deadline deadline) {
    const auto prepared = prepare_run_file(settings, stack, services, deadline);
    const subprocess::Environment environment = settings.child_environment();
    rendering::kube::PodmanOptions options;
    options.project = settings.project;
    options.project_dir = settings.project_dir;
    options.bind_address = settings.bind_address;
    options.host_port = [&settings](const std::string& variable) { return settings.vars.port(variable); };
    // The same variables the other engines substitute from: the child environment.
    options.lookup = [&environment](const std::string& name) -> const std::string* {
        auto it = environment.find(name);
        return it == environment.end() ? nullptr : &it->second;
    };
    KubePlayFiles out;
    std::vector<rendering::ServiceModel> models;
    for (const auto& name : services) {
        const auto& d = stack.get(name);
        models.push_back(rendering::service_model(d, settings.images));
        // Not the other engines' hash: a container one of them made is never taken for this engine's.
        out.config_hashes[name] = "kube-" + compose::service_config_hash(d, prepared.options);
        options.config_hashes[name] = out.config_hashes[name];
        for (const auto& v : models.back().volumes) out.volumes[name].push_back(settings.project + "_" + v.name);
        out.volumes[name];  // every service has an entry
    }
    auto play = rendering::kube::podman_play(models, options);
    const auto dir = settings.state_dir() / "run" / "kube";
    for (const auto& [name, yaml] : play.workloads) {
        out.workloads[name] = dir / (name + ".yaml");
        files::write_private(out.workloads[name], yaml);
    }
    out.values = std::move(play.values);
    out.values_file = dir / "values.yaml";
    return out;
}

}  // namespace envctl::engine
