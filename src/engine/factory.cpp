#include "envctl/engine/factory.hpp"

#include <map>
#include <set>

#include "envctl/compose/renderer.hpp"
#include "envctl/compose/run_file.hpp"
#include "envctl/engine/kube_engine.hpp"
#include "envctl/engine/podman_compose_engine.hpp"
#include "envctl/engine/podman_engine.hpp"
#include "envctl/engine/run_facts.hpp"

namespace envctl::engine {
namespace {

// Reading mounted files and asking podman for image ids (engine/run_facts.hpp).
constexpr auto kFactsBudget = std::chrono::seconds(60);

// The named volumes of `services`, deduplicated. Volume names need no variable: computed without resolving
// anything, so `down --volumes` works whatever state the settings are in.
std::vector<std::string> project_volumes(const std::map<std::string, ServiceTeardown>& teardown,
                                         const std::vector<std::string>& services) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& name : services) {
        for (const auto& full : teardown.at(name).volumes) {
            if (seen.insert(full).second) out.push_back(full);
        }
    }
    return out;
}

}  // namespace

std::map<std::string, ServiceTeardown> teardown(const settings::Settings& settings, const descriptors::Stack& stack) {
    std::map<std::string, ServiceTeardown> out;
    for (const auto& d : stack.services) {
        ServiceTeardown& t = out[d.name];
        if (d.stop_grace_seconds) t.stop_seconds = *d.stop_grace_seconds;
        for (const auto& v : d.volumes)
            t.volumes.push_back(settings.project + "_" + compose::volume_name(v, settings.images));
    }
    return out;
}

std::unique_ptr<Engine> make(const settings::Settings& settings, const descriptors::Stack& stack,
                             const std::vector<std::string>& services) {
    std::vector<std::string> names =
        services.empty() ? stack.with_dependencies(stack.profile_services(settings.profile)) : services;
    auto per_service = teardown(settings, stack);
    auto volumes = project_volumes(per_service, names);
    EngineProject project{settings.project, settings.child_environment(), std::move(volumes), std::move(per_service)};
    if (settings.engine == settings::EngineKind::podman_compose) {
        ComposeRun run;
        run.prepare_file = [settings, stack, names](std::map<std::string, std::string>& expected_hashes) {
            auto prepared = prepare_run_file(settings, stack, names, Clock::now() + kFactsBudget);
            expected_hashes.clear();
            for (const auto& name : names)
                expected_hashes[name] = compose::service_config_hash(stack.get(name), prepared.options);
            return prepared.file;
        };
        return std::make_unique<PodmanComposeEngine>(std::move(project), std::move(run));
    }
    if (settings.engine == settings::EngineKind::kube) {
        return std::make_unique<KubeEngine>(std::move(project), [settings, stack, names] {
            return prepare_kube_play(settings, stack, names, Clock::now() + kFactsBudget);
        });
    }
    // The native engine writes the run file too: its containers are labelled with it, so that
    // `podman-compose -p PROJECT -f <run file> ps|logs|down` manages them.
    return std::make_unique<PodmanEngine>(std::move(project), [settings, stack, names] {
        auto prepared = prepare_run_file(settings, stack, names, Clock::now() + kFactsBudget);
        return build_project_spec(settings, stack, names, prepared.options);
    });
}

}  // namespace envctl::engine
