#include "envctl/orchestration/state.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/util/files.hpp"
#include "envctl/util/redact_json.hpp"
#include "envctl/util/utf8.hpp"

namespace envctl::orchestration {
namespace {

std::optional<Phase> parse_phase(const std::string& s) {
    if (s == "starting") return Phase::starting;
    if (s == "ready") return Phase::ready;
    if (s == "failed") return Phase::failed;
    if (s == "stopped") return Phase::stopped;
    return std::nullopt;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string to_string(Phase p) {
    switch (p) {
    case Phase::starting: return "starting";
    case Phase::ready: return "ready";
    case Phase::failed: return "failed";
    case Phase::stopped: return "stopped";
    }
    return "stopped";
}

std::optional<State> read_state(const std::filesystem::path& state_file) {
    std::ifstream in(state_file);
    if (!in) return std::nullopt;
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto j = nlohmann::json::parse(buffer.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;  // a half-written file cannot happen (atomic), a foreign one is ignored
    State s;
    s.run_id = j.value("run_id", "");
    s.started_at_ms = j.value("started_at_ms", std::int64_t{0});
    auto phase = parse_phase(j.value("phase", ""));
    if (!phase) return std::nullopt;
    s.phase = *phase;
    s.pid = j.value("pid", 0L);
    s.command = j.value("command", "");
    s.attempt = j.value("attempt", 0);
    s.attempts = j.value("attempts", 0);
    s.services = j.value("services", std::vector<std::string>{});
    if (j.contains("service_states") && j["service_states"].is_object()) {
        for (const auto& [name, v] : j["service_states"].items()) {
            ServiceState ss;
            ss.ready = v.value("ready", false);
            if (v.contains("ready_after_ms") && v["ready_after_ms"].is_number()) ss.ready_after_ms = v["ready_after_ms"].get<std::int64_t>();
            ss.detail = v.value("detail", "");
            s.service_states[name] = ss;
        }
    }
    if (j.contains("failure_code") && j["failure_code"].is_number()) s.failure_code = j["failure_code"].get<int>();
    s.failure = j.value("failure", "");
    s.report = j.value("report", "");
    s.updated_at_ms = j.value("updated_at_ms", std::int64_t{0});
    return s;
}

void write_state(const std::filesystem::path& state_file, State s) {
    s.updated_at_ms = now_ms();
    nlohmann::json j;
    j["schema"] = "envctl.state/v1";
    j["run_id"] = s.run_id;
    j["started_at_ms"] = s.started_at_ms;
    j["phase"] = to_string(s.phase);
    j["pid"] = s.pid;
    j["command"] = s.command;
    j["attempt"] = s.attempt;
    j["attempts"] = s.attempts;
    j["services"] = s.services;
    nlohmann::json states = nlohmann::json::object();
    for (const auto& [name, ss] : s.service_states) {
        nlohmann::json v{{"ready", ss.ready}, {"detail", ss.detail}};
        v["ready_after_ms"] = ss.ready_after_ms ? nlohmann::json(*ss.ready_after_ms) : nlohmann::json(nullptr);
        states[name] = v;
    }
    j["service_states"] = states;
    j["failure_code"] = s.failure_code ? nlohmann::json(*s.failure_code) : nlohmann::json(nullptr);
    j["failure"] = s.failure;
    j["report"] = s.report;
    j["updated_at_ms"] = s.updated_at_ms;
    files::write_private(state_file, redacted(j).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

std::string new_run_id() {
    static std::mt19937_64 random{std::random_device{}()};
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    return fmt::format("{:x}-{}-{:08x}", now_ms(), ::getpid(), static_cast<std::uint32_t>(random()));
}

State begin_run(const std::filesystem::path& state_file, const std::string& run_id, const std::string& command,
                const std::vector<std::string>& services, int attempts) {
    State s;
    s.run_id = run_id;
    s.started_at_ms = now_ms();
    s.phase = Phase::starting;
    s.pid = ::getpid();
    s.command = command;
    s.attempts = attempts;
    s.services = services;
    write_state(state_file, s);
    return s;
}

void end_run(const std::filesystem::path& state_file, State run, ExitCode code, const std::string& message) {
    run.phase = code == ExitCode::interrupted ? Phase::stopped : Phase::failed;
    run.failure_code = to_int(code);
    run.failure = utf8::valid(message);
    write_state(state_file, run);
}

void fail_finished_run(const std::filesystem::path& state_file, const std::string& run_id, ExitCode code,
                       const std::string& message) {
    auto current = read_state(state_file);
    if (current && current->run_id == run_id) end_run(state_file, std::move(*current), code, message);
}

bool writer_alive(const State& state) { return state.pid > 0 && (::kill(static_cast<pid_t>(state.pid), 0) == 0 || errno == EPERM); }

}  // namespace envctl::orchestration
