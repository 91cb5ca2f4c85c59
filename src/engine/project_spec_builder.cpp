#include "envctl/engine/service_spec.hpp"

#include "envctl/compose/renderer.hpp"
#include "envctl/engine/interpolate.hpp"

namespace envctl::engine {
namespace {

// The healthcheck timings the renderer writes into the compose file (src/compose/renderer.cpp), which
// podman-compose passes on; EngineFactory's parity test compares the containers of both engines.
constexpr const char* kHealthInterval = "10s";
constexpr const char* kHealthTimeout = "5s";
constexpr int kHealthRetries = 3;
constexpr Duration kDefaultStartPeriod = std::chrono::seconds(30);

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

ServiceSpec resolve_service(const settings::Settings& settings, const descriptors::ServiceDescriptor& d,
                            const compose::RenderOptions& options, const VariableLookup& lookup) {
    const std::string where = "service " + d.name;
    ServiceSpec s;
    s.name = d.name;
    s.group = descriptors::to_string(d.group);
    // podman-compose substitutes variables in every value of the file; so does this.
    s.image = interpolate(compose::image_for(d, settings.images), lookup, where + ", image");
    s.entrypoint = interpolate_all(d.entrypoint, lookup, where + ", entrypoint");
    s.command = interpolate_all(d.command, lookup, where + ", command");
    for (const auto& [key, value] : d.environment) {
        s.environment.emplace_back(key, interpolate(value, lookup, where + ", environment " + key));
    }
    for (const auto& p : d.ports) {
        s.ports.push_back(PublishedPort{settings.bind_address, settings.vars.port(p.variable), p.container, p.protocol});
    }
    for (const auto& v : d.volumes) {
        s.volumes.push_back(VolumeMount{settings.project + "_" + compose::volume_name(v, settings.images), v.target});
    }
    for (const auto& m : d.mounts) {
        // podman-compose resolves mount sources with realpath; weakly_canonical is the same for existing paths.
        s.mounts.push_back(BindMount{std::filesystem::weakly_canonical(settings.project_dir / m.source), m.target,
                                     m.read_only});
    }
    if (d.healthcheck) {
        s.healthcheck = Healthcheck{interpolate(*d.healthcheck, lookup, where + ", healthcheck"), kHealthInterval,
                                    kHealthTimeout, format_duration(d.ready_budget.value_or(kDefaultStartPeriod)),
                                    kHealthRetries};
    }
    s.memory = interpolate(d.memory, lookup, where + ", mem_limit");
    s.cap_add = interpolate_all(d.cap_add, lookup, where + ", cap_add");
    s.shm_size = interpolate_opt(d.shm_size, lookup, where + ", shm_size");
    s.user = interpolate_opt(d.user, lookup, where + ", user");
    s.stop_signal = interpolate_opt(d.stop_signal, lookup, where + ", stop_signal");
    s.stop_grace_seconds = d.stop_grace_seconds;
    s.depends_on = d.depends_on;
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
