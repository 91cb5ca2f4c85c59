#pragma once
// The terminal itself: its size, its resizes (SIGWINCH) and whether output on a descriptor is live-capable.

#include "envctl/ui/block_layout.hpp"

namespace envctl::ui {

// The size of the terminal on `fd` (TIOCGWINSZ); COLUMNS/LINES, then 80x24, when it does not say.
Geometry query_geometry(int fd);

// Installs the SIGWINCH handler (once; it only sets a flag).
void watch_resizes();
// True once after each resize since the last call.
bool take_resize();

// True when NO_COLOR is set to anything but the empty string (no-color.org).
bool no_color();
// True when `fd` is a terminal that takes cursor movement: a tty, TERM set and not "dumb", CI not set.
bool live_capable(int fd);

}  // namespace envctl::ui
