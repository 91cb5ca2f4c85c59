#include "envctl/rendering/service_model.hpp"

#include <fmt/format.h>

#include "envctl/compose/renderer.hpp"

namespace envctl::rendering {

ServiceModel service_model(const descriptors::ServiceDescriptor& d, settings::ImageFlavour images) {
    ServiceModel s;
    s.name = d.name;
    s.group = descriptors::to_string(d.group);
    s.image = compose::image_for(d, images);
    s.entrypoint = d.entrypoint;
    s.command = d.command;
    s.environment = d.environment;
    s.ports = d.ports;
    for (const auto& v : d.volumes) s.volumes.push_back(NamedVolume{compose::volume_name(v, images), v.target});
    s.mounts = d.mounts;
    s.depends_on = d.depends_on;
    s.probe = d.probe;
    s.ready_budget = d.ready_budget.value_or(kDefaultReadyBudget);
    if (d.healthcheck) {
        s.healthcheck = Healthcheck{*d.healthcheck, fmt::format("{}s", kHealthIntervalSeconds),
                                    fmt::format("{}s", kHealthTimeoutSeconds), format_duration(s.ready_budget),
                                    kHealthRetries};
    }
    s.memory = d.memory;
    s.cap_add = d.cap_add;
    s.shm_size = d.shm_size;
    s.user = d.user;
    s.stop_signal = d.stop_signal;
    s.stop_grace_seconds = d.stop_grace_seconds;
    s.labels = {{"io.envctl.group", s.group}};
    return s;
}

}  // namespace envctl::rendering
