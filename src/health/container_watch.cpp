#include "envctl/health/container_watch.hpp"

#include <exception>

#include <fmt/format.h>

#include "envctl/util/log.hpp"

namespace envctl::health {

namespace {
constexpr Duration kListTimeout{std::chrono::seconds(10)};
}

ContainerWatch::ContainerWatch(engine::Engine& engine, Clock& clock, Duration refresh)
    : engine_(engine), clock_(clock), refresh_(refresh) {}

void ContainerWatch::refresh_if_stale() {
    TimePoint now = clock_.now();
    if (listed_at_ && now - *listed_at_ < refresh_) return;
    listed_at_ = now;
    try {
        std::map<std::string, engine::ContainerInfo> fresh;
        for (auto& c : engine_.list(std::chrono::steady_clock::now() + kListTimeout)) fresh[c.service] = std::move(c);
        containers_ = std::move(fresh);
        have_list_ = true;
    } catch (const std::exception& e) {
        log::debug("container state unknown ({}); assuming the containers still run", e.what());
    }
}

std::optional<std::string> ContainerWatch::exit_reason(const std::string& service) {
    refresh_if_stale();
    if (!have_list_) return std::nullopt;
    auto it = containers_.find(service);
    if (it == containers_.end()) return std::string("container is gone");
    const engine::ContainerInfo& c = it->second;
    switch (c.state) {
    case engine::ContainerState::exited:
        return c.exit_code ? fmt::format("container exited (exit code {})", *c.exit_code)
                           : std::string("container exited");
    case engine::ContainerState::missing: return std::string("container is gone");
    default: return std::nullopt;
    }
}

}  // namespace envctl::health
