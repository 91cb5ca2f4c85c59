#include "envctl/health/container_watch.hpp"

#include <exception>

#include <fmt/format.h>

#include "envctl/util/log.hpp"

namespace envctl::health {

ContainerWatch::ContainerWatch(engine::Engine& engine, Clock& clock, Duration refresh, std::optional<Containers> seed,
                               Duration list_timeout)
    : engine_(engine), clock_(clock), refresh_(refresh), list_timeout_(list_timeout) {
    if (seed) {
        containers_ = std::move(*seed);
        have_list_ = true;
        asked_at_ = clock_.now();
    }
    worker_ = std::thread([this] { loop(); });
}

ContainerWatch::~ContainerWatch() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
}

void ContainerWatch::loop() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [this] { return stop_ || wanted_; });
        if (stop_) return;
        wanted_ = false;
        running_ = true;
        lock.unlock();
        std::optional<Containers> fresh;
        try {
            Containers listed;
            for (auto& c : engine_.list(std::chrono::steady_clock::now() + list_timeout_)) listed[c.service] = std::move(c);
            fresh = std::move(listed);
        } catch (const std::exception& e) {
            log::debug("container state unknown ({}); assuming the containers still run", e.what());
        }
        lock.lock();
        if (fresh) {
            containers_ = std::move(*fresh);
            have_list_ = true;
        }
        running_ = false;
        changed_.notify_all();
    }
}

bool ContainerWatch::wait_idle(Duration max) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, max, [this] { return !wanted_ && !running_; });
}

std::optional<std::string> ContainerWatch::exit_reason(const std::string& service) {
    std::unique_lock lock(mutex_);
    const TimePoint now = clock_.now();
    if (!running_ && !wanted_ && (!asked_at_ || now - *asked_at_ >= refresh_)) {
        asked_at_ = now;
        wanted_ = true;
        changed_.notify_all();
    }
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
