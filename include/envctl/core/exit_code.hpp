#pragma once
// The contract's exit-code table, in one place. Only main() turns an outcome into a process exit code.

#include <string_view>

namespace envctl {

enum class ExitCode : int {
    ok = 0,              // success; status/wait-ready: every selected service ready
    internal = 1,        // internal error
    usage = 2,           // usage error or invalid settings (file, line or variable named)
    timed_out = 3,       // a readiness budget or --timeout ran out
    service_failed = 4,  // a service failed (its container exited, or its probe says it is broken)
    not_started = 5,     // nothing of the environment is running
    migration = 6,       // migration or schema-compliance failure
    preflight = 7,       // a port held by another program, an image missing, the engine unusable
    locked = 8,          // another mutating command holds the project's lock past --lock-timeout
    differs = 10,        // generate --check: the committed file differs
    interrupted = 130,   // SIGINT or SIGTERM
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

constexpr std::string_view describe(ExitCode code) {
    switch (code) {
    case ExitCode::ok: return "success";
    case ExitCode::internal: return "internal error";
    case ExitCode::usage: return "usage error or invalid settings";
    case ExitCode::timed_out: return "timed out";
    case ExitCode::service_failed: return "a service failed";
    case ExitCode::not_started: return "not started";
    case ExitCode::migration: return "migration or schema-compliance failure";
    case ExitCode::preflight: return "preflight refused";
    case ExitCode::locked: return "project lock held by another command";
    case ExitCode::differs: return "the committed file differs";
    case ExitCode::interrupted: return "interrupted";
    }
    return "unknown";
}

}  // namespace envctl
