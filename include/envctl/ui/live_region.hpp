#pragma once
// The bottom rows of a terminal that a live view redraws in place (the progress block, `status --watch`'s table):
// it remembers what it drew, so the next draw first erases exactly that, even after the terminal was resized.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "envctl/ui/block_layout.hpp"

namespace envctl::ui {

// Where a live view writes and how it learns the terminal's size (tests give fakes).
struct TerminalOutput {
    std::function<void(std::string_view)> write;
    std::function<Geometry()> geometry;
    std::function<bool()> resized;  // true once after each resize
};

// stderr or stdout (fd 2 or 1): written at once, the size from TIOCGWINSZ, resizes from SIGWINCH.
TerminalOutput terminal_output(int fd);

// Writes rows as: "\x1b[2K" + line (+ "\x1b[K") + "\n", each row cleared as it is written, and one "\x1b[J" after
// the last to clear what an older, taller draw left below. Never "\x1b[J" at the top-left corner: tmux (3.3's
// scroll-on-clear) copies a whole screen cleared from there into its scrollback.
class LiveRegion {
public:
    explicit LiveRegion(TerminalOutput output) : output_(std::move(output)) {}
    // The terminal's size, asked again after a resize.
    const Geometry& geometry();
    // Appends to `out` the move back to the first row drawn since the last erase (the rows are overwritten next).
    void erase(std::string& out);
    // Appends one line: `plain` is its text, `painted` how it is written (colour included). With `live`, it is part
    // of the region (the next erase goes back over it): it must fit usable_columns. Without, it is an ordinary
    // line that stays (it may wrap, and may hold several lines).
    void line(std::string& out, const std::string& plain, const std::string& painted, bool live);
    // Appends the clearing of whatever an earlier draw left below the cursor.
    void end(std::string& out);
    void write(const std::string& out) { output_.write(out); }

private:
    TerminalOutput output_;
    Geometry geometry_;
    bool have_geometry_ = false;
    bool stale_below_ = false;               // an erase went back over rows not all written again yet
    std::vector<std::size_t> drawn_widths_;  // display width of each live line drawn, top to bottom
};

}  // namespace envctl::ui
