#pragma once
// SIGINT/SIGTERM handling. main() installs the handlers once; every wait in envctl checks requested() (the
// subprocess module kills its child's process group; pollers stop), and main() then exits 130 after cleanup.

#include <chrono>

namespace envctl::interrupt {

void install_handlers();
// True once SIGINT/SIGTERM arrived, except inside a CleanupScope: waits and subprocesses stop when this is true.
bool requested();
// True once SIGINT/SIGTERM arrived, cleanup or not (main exits 130 then).
bool received();

// While one lives, requested() is false, so the cleanup that follows an interrupt (tearing down what the
// command started) runs its own subprocesses to their deadlines instead of being cut short.
class CleanupScope {
public:
    CleanupScope();
    ~CleanupScope();
    CleanupScope(const CleanupScope&) = delete;
    CleanupScope& operator=(const CleanupScope&) = delete;
};
// The signal that was received (SIGINT or SIGTERM), or 0.
int signal_number();
// For tests: simulate or clear an interrupt.
void request_for_test(int signo);
void reset_for_test();
// Sleeps up to `d`, returning early (false) when an interrupt arrives. Returns true when the full time passed.
bool sleep_for(std::chrono::milliseconds d);

}  // namespace envctl::interrupt
