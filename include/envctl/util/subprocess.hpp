#pragma once
// The one way envctl runs another program: an argv vector (never a shell), stdin from /dev/null, stdout and
// stderr captured up to a bound, an explicit environment, a deadline. On expiry (or on an interrupt of envctl)
// the child's whole process group gets SIGTERM, then SIGKILL after a short grace.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::subprocess {

using Environment = std::map<std::string, std::string>;

enum class Stream { out, err };

struct Spec {
    std::vector<std::string> argv;                // argv[0] is looked up on PATH when it has no '/'
    std::optional<Environment> env;               // nullopt: inherit envctl's environment; else exactly this
    std::optional<std::string> cwd;               // working directory of the child
    Duration timeout{std::chrono::seconds(60)};   // deadline, counted from the start
    Duration kill_grace{std::chrono::seconds(2)}; // SIGTERM -> SIGKILL
    std::size_t output_limit = 4 * 1024 * 1024;   // per stream; the rest is counted but not kept
    // Called with each complete line as it arrives (already redacted). Optional: for progress and `logs -f`.
    std::function<void(Stream, const std::string&)> on_line;
    bool no_deadline = false;                     // only `logs --follow` sets this; Ctrl-C still ends it
    // Polled while the child runs: true ends it as the deadline would (Result::cancelled), e.g. the other pulls
    // once one pull has failed.
    std::function<bool()> cancelled;
};

struct Result {
    int exit_code = -1;          // the child's exit status, or -1 when it died by a signal or never ran
    int term_signal = 0;         // the signal that ended it, if any
    bool timed_out = false;      // the deadline ran out and the group was killed
    bool interrupted = false;    // envctl was interrupted (SIGINT/SIGTERM) and the group was killed
    bool cancelled = false;      // Spec::cancelled said so and the group was killed
    bool spawn_failed = false;   // the program could not be started (missing binary, ...)
    std::string spawn_error;     // why, when spawn_failed
    std::string out;             // captured stdout (up to output_limit)
    std::string err;             // captured stderr (up to output_limit)
    bool truncated = false;      // some output exceeded output_limit
    Duration elapsed{0};

    bool ok() const { return exit_code == 0 && !timed_out && !interrupted && !cancelled && !spawn_failed; }
    // One line saying how it ended: "exit 1", "killed by signal 9", "timed out after 5s", "not found: foo".
    std::string describe() const;
};

// Runs the program to completion (or deadline/interrupt). Never throws for the child's own failures; they are in
// the Result. Throws envctl::Error only for envctl's own resource failures (pipe/fork).
Result run(const Spec& spec);

// A program that runs beside envctl (podman's API service) until stop() or the destructor: its own process group,
// stdin, stdout and stderr on /dev/null. stop() sends the group SIGTERM, then SIGKILL after spec.kill_grace, and
// reaps it; its deadline is its owner's lifetime (spec.timeout is not used).
class Background {
public:
    // Throws envctl::Error(preflight) when the program cannot be found or started.
    static Background start(const Spec& spec);

    Background(Background&& other) noexcept;
    Background& operator=(Background&& other) noexcept;
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    ~Background();

    // False once the program has exited (it is reaped then).
    bool running();
    void stop();
    int pid() const { return pid_; }

private:
    Background(int pid, Duration kill_grace) : pid_(pid), kill_grace_(kill_grace) {}
    int pid_ = -1;
    Duration kill_grace_{0};
};

// Convenience: the current process environment as a map.
Environment current_environment();

// Resolves a program name on PATH (as execvp would); nullopt when not found.
std::optional<std::string> find_program(const std::string& name);

}  // namespace envctl::subprocess
