#include "envctl/engine/service_spec.hpp"

#include "envctl/compose/renderer.hpp"
#include "envctl/engine/interpolate.hpp"
#include "envctl/rendering/service_model.hpp"

namespace envctl::engine {
namespace {

std::vector<std::string> interpolate_all(const std::vector<std::string>& items, const VariableLookup& lookup,
                                         const std::string& context) {
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const auto& item : items) out.push_back(interpolate(item, lookup, context));
    return out;
}

std::optional<std::string> interpolate_opt(const std::optional<std::string>& value, const VariableLookup& lookup,
                                           const std::string& context) {
    if (!value) return std::nullopt;
    return interpolate(*value, lookup, context);
}

// The model with every ${VAR} substituted, as podman-compose substitutes them in every value of the file.
ServiceSpec resolve_service(const settings::Settings& settings, const descriptors::ServiceDescriptor& d,
                            const compose::RenderOptions& options, const VariableLookup& lookup) {
    const rendering::ServiceModel m = rendering::service_model(d, settings.images);
    const std::string where = "service " + m.name;
    ServiceSpec s;
    s.name = m.name;
    s.group = m.group;
    s.image = interpolate(m.image, lookup, where + ", image");
    s.entrypoint = interpolate_all(m.entrypoint, lookup, where + ", entrypoint");
    s.command = interpolate_all(m.command, lookup, where + ", command");
    for (const auto& [key, value] : m.environment) {
        s.environment.emplace_back(key, interpolate(value, lookup, where + ", environment " + key));
    }
    for (const auto& p : m.ports) {
        s.ports.push_back(PublishedPort{settings.bind_address, settings.vars.port(p.variable), p.container, p.protocol});
    }
    for (const auto& v : m.volumes) s.volumes.push_back(VolumeMount{settings.project + "_" + v.name, v.target});
    for (const auto& mount : m.mounts) {
        // podman-compose resolves mount sources with realpath; weakly_canonical is the same for existing paths.
        s.mounts.push_back(BindMount{std::filesystem::weakly_canonical(settings.project_dir / mount.source),
                                     mount.target, mount.read_only});
    }
    if (m.healthcheck) {
        const auto& h = *m.healthcheck;
        s.healthcheck = Healthcheck{interpolate(h.test, lookup, where + ", healthcheck"), h.interval, h.timeout,
                                    h.start_period, h.retries};
    }
    s.memory = interpolate(m.memory, lookup, where + ", mem_limit");
    s.cap_add = interpolate_all(m.cap_add, lookup, where + ", cap_add");
    s.shm_size = interpolate_opt(m.shm_size, lookup, where + ", shm_size");
    s.user = interpolate_opt(m.user, lookup, where + ", user");
    s.stop_signal = interpolate_opt(m.stop_signal, lookup, where + ", stop_signal");
    s.stop_grace_seconds = m.stop_grace_seconds;
    s.depends_on = m.depends_on;
    s.config_hash = compose::service_config_hash(d, options);
    return s;
}

}  // namespace

ProjectSpec build_project_spec(const settings::Settings& settings, const descriptors::Stack& stack,
                               const std::vector<std::string>& services, const compose::RenderOptions& hash_options) {
    ProjectSpec spec;
    spec.project = settings.project;
    spec.compose_file = settings.run_compose_file();
    spec.environment = settings.child_environment();
    // The same variables podman-compose substitutes from: its process environment.
    const auto& env = spec.environment;
    VariableLookup lookup = [&env](const std::string& name) -> const std::string* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : &it->second;
    };
    for (const auto& name : services)
        spec.services.push_back(resolve_service(settings, stack.get(name), hash_options, lookup));
    return spec;
}

}  // namespace envctl::engine
