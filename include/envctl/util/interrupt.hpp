#pragma once
// SIGINT/SIGTERM handling. main() installs the handlers once; every wait in envctl checks requested() (the
// subprocess module kills its child's process group; pollers stop), and main() then exits 130 after cleanup.

#include <chrono>

namespace envctl::interrupt {

void install_handlers();
bool requested();
// The signal that was received (SIGINT or SIGTERM), or 0.
int signal_number();
// For tests: simulate or clear an interrupt.
void request_for_test(int signo);
void reset_for_test();
// Sleeps up to `d`, returning early (false) when an interrupt arrives. Returns true when the full time passed.
bool sleep_for(std::chrono::milliseconds d);

}  // namespace envctl::interrupt
