#include "envctl/engine/factory.hpp"

#include <set>

#include "envctl/compose/renderer.hpp"
#include "envctl/compose/run_file.hpp"
#include "envctl/engine/podman_compose_engine.hpp"
#include "envctl/engine/podman_engine.hpp"

namespace envctl::engine {
namespace {

// Volume names need no variable: computed without resolving anything, so `down --volumes` works whatever
// state the settings are in.
std::vector<std::string> project_volumes(const settings::Settings& settings, const descriptors::Stack& stack,
                                         const std::vector<std::string>& services) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& name : services) {
        for (const auto& v : stack.get(name).volumes) {
            std::string full = settings.project + "_" + compose::volume_name(v, settings.images);
            if (seen.insert(full).second) out.push_back(full);
        }
    }
    return out;
}

}  // namespace

std::unique_ptr<Engine> make(const settings::Settings& settings, const descriptors::Stack& stack,
                             const std::vector<std::string>& services) {
    std::vector<std::string> names =
        services.empty() ? stack.with_dependencies(stack.profile_services(settings.profile)) : services;
    EngineProject project{settings.project, settings.child_environment(), project_volumes(settings, stack, names)};
    if (settings.engine == settings::EngineKind::podman_compose) {
        ComposeRun run;
        compose::RenderOptions options;
        options.images = settings.images;
        options.services = names;
        for (const auto& name : names) run.expected_hashes[name] = compose::service_config_hash(stack.get(name), options);
        run.prepare_file = [settings, stack, names] { return compose::write_run_file(settings, stack, names); };
        return std::make_unique<PodmanComposeEngine>(std::move(project), std::move(run));
    }
    // The native engine writes the run file too: its containers are labelled with it, so that
    // `podman-compose -p PROJECT -f <run file> ps|logs|down` manages them.
    return std::make_unique<PodmanEngine>(std::move(project), [settings, stack, names] {
        compose::write_run_file(settings, stack, names);
        return build_project_spec(settings, stack, names);
    });
}

}  // namespace envctl::engine
