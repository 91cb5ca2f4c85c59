#pragma once
// .envctl/state.json: what the last (or running) `up` is doing, for `wait-ready` callers and `status`. Written
// atomically by the command holding the project lock; read by anyone without a lock.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/exit_code.hpp"

namespace envctl::orchestration {

enum class Phase { starting, ready, failed, stopped };
std::string to_string(Phase p);

struct ServiceState {
    bool ready = false;
    std::optional<std::int64_t> ready_after_ms;  // from the container's start
    std::string detail;                          // last probe detail or failure cause
};

struct State {
    std::string run_id;                          // one per up/reset that got the project lock (new_run_id())
    std::int64_t started_at_ms = 0;              // when that run began (unix epoch ms)
    Phase phase = Phase::stopped;
    long pid = 0;                                // the up/reset process
    std::string command;                         // "up", "reset"
    int attempt = 0;
    int attempts = 0;
    std::vector<std::string> services;           // what the up selected (with dependencies)
    std::map<std::string, ServiceState> service_states;  // of this run only: a new run starts with none
    std::optional<int> failure_code;             // the exit code the failed up ended with
    std::string failure;                         // why (short)
    std::string report;                          // path of the failure report, if any
    std::int64_t updated_at_ms = 0;              // unix epoch ms
};

std::optional<State> read_state(const std::filesystem::path& state_file);
void write_state(const std::filesystem::path& state_file, State state);  // stamps updated_at_ms
// A fresh run id: "<epoch ms in hex>-<pid>-<random hex>", unique across processes and runs.
std::string new_run_id();

// The first record of a run (phase starting, no service ready yet), written as soon as the up or reset holds the
// project lock, before it removes, checks or starts anything. Returns what it wrote.
State begin_run(const std::filesystem::path& state_file, const std::string& run_id, const std::string& command,
                const std::vector<std::string>& services, int attempts);
// The last record of a run that ended before the orchestrator took over (reset or preflight refused): phase
// failed (stopped for an interrupt), with its exit code and why.
void end_run(const std::filesystem::path& state_file, State run, ExitCode code, const std::string& message);
// A run the orchestrator recorded ready that a later gate of the same command failed (`up --verify`): the record
// of run `run_id` becomes failed with the gate's exit code and why, its services' states kept. Nothing is written
// when another run has replaced that record since.
void fail_finished_run(const std::filesystem::path& state_file, const std::string& run_id, ExitCode code,
                       const std::string& message);

// True when the process that wrote `state` is still alive (so a "starting" state is live, not stale).
bool writer_alive(const State& state);

}  // namespace envctl::orchestration
