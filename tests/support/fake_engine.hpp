#pragma once
// An engine without podman for the orchestrator's tests, behaving as podman does where the orchestrator relies
// on it: create() makes only the missing containers (and the network and the services' named volumes); start()
// starts those not running and leaves running ones alone (same id, same start time); remove_all() removes every
// container and the network, and the volumes only when asked; remove_services() removes only the named services'
// containers (and, when asked, their volumes). Every call is recorded, and a hook can act at any of them (an
// interrupt arriving in the middle of a start, say).

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "envctl/core/error.hpp"
#include "envctl/engine/engine.hpp"
#include "support/fake_clock.hpp"

namespace envctl::test {

class FakeEngine : public engine::Engine {
public:
    std::string name() const override { return "fake"; }

    void create(const std::vector<std::string>& services, Deadline) override {
        std::lock_guard lock(mutex);
        called("create");
        network = true;
        for (const auto& s : services) {
            for (const auto& v : volumes_of[s]) volumes.insert(v);
            if (!containers.count(s)) make(s);
        }
    }

    void start(const std::vector<std::string>& services, Deadline) override {
        std::lock_guard lock(mutex);
        std::string call = "start";
        for (const auto& s : services) call += " " + s;
        called(call);
        for (const auto& s : services) {
            if (auto e = start_errors.find(s); e != start_errors.end()) throw Error(ExitCode::service_failed, e->second);
            if (!containers.count(s)) make(s);  // the native engine creates what create() left to it
            auto& c = containers[s];
            if (c.state == engine::ContainerState::running) continue;
            if (exits_on_start.count(s)) {
                c.state = engine::ContainerState::exited;
                c.exit_code = 1;
            } else {
                c.state = engine::ContainerState::running;
            }
            c.started_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
            started_at[s] = clock->now();
        }
    }

    void remove_all(bool with_volumes, Deadline) override {
        std::lock_guard lock(mutex);
        called(with_volumes ? "remove_all volumes" : "remove_all");
        for (const auto& [s, c] : containers) started_at.erase(s);
        containers.clear();
        network = false;
        if (with_volumes) {
            removed_volumes.insert(volumes.begin(), volumes.end());
            volumes.clear();
        }
    }

    void remove_services(const std::vector<std::string>& services, bool with_volumes, Deadline) override {
        std::lock_guard lock(mutex);
        std::string call = "remove_services";
        for (const auto& s : services) call += " " + s;
        called(with_volumes ? call + " volumes" : call);
        for (const auto& s : services) {
            containers.erase(s);
            started_at.erase(s);
            if (!with_volumes) continue;
            for (const auto& v : volumes_of[s]) {
                if (volumes.erase(v)) removed_volumes.insert(v);
            }
        }
    }

    std::vector<engine::ContainerInfo> list(Deadline) override {
        std::lock_guard lock(mutex);
        std::vector<engine::ContainerInfo> out;
        for (auto& [k, v] : containers) out.push_back(v);
        return out;
    }
    std::vector<std::string> log_tail(const std::string& service, int, Deadline) override {
        return {service + " log line 1", service + " log line 2"};
    }
    engine::ExecResult exec(const std::string&, const std::vector<std::string>&, Deadline) override { return {0, "", false}; }
    int follow_logs(const std::string&, int, const std::function<void(const std::string&)>&) override { return 0; }

    bool running(const std::string& s) {
        std::lock_guard lock(mutex);
        return containers.count(s) && containers[s].state == engine::ContainerState::running;
    }
    std::string id(const std::string& s) {
        std::lock_guard lock(mutex);
        return containers.count(s) ? containers[s].id : "";
    }
    int count(const std::string& call) {
        std::lock_guard lock(mutex);
        int n = 0;
        for (const auto& c : calls) n += c == call;
        return n;
    }

    std::mutex mutex;
    std::vector<std::string> calls;
    std::map<std::string, engine::ContainerInfo> containers;
    std::map<std::string, health::TimePoint> started_at;
    std::map<std::string, std::vector<std::string>> volumes_of;  // service -> its named volumes
    std::set<std::string> volumes;                                // the volumes that exist
    std::set<std::string> removed_volumes;                        // every volume removed so far
    bool network = false;
    std::set<std::string> exits_on_start;
    std::map<std::string, std::string> start_errors;  // start() throws this engine message for the service
    std::function<void(const std::string& call)> on_call;         // runs at each call, after it is recorded
    FakeClock* clock = nullptr;

private:
    void make(const std::string& s) {
        containers[s] = {s, "p_" + s + "_1", "id-" + s + "-" + std::to_string(++serial_), engine::ContainerState::created,
                         {}, {}, "", ""};
    }
    void called(const std::string& call) {
        calls.push_back(call);
        if (on_call) on_call(call);
    }
    int serial_ = 0;
};

}  // namespace envctl::test
