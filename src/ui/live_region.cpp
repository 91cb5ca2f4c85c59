#include "envctl/ui/live_region.hpp"

#include <algorithm>
#include <cstdio>

#include "envctl/ui/terminal.hpp"
#include "envctl/ui/text_width.hpp"

namespace envctl::ui {

TerminalOutput terminal_output(int fd) {
    std::FILE* stream = fd == 1 ? stdout : stderr;
    return {[stream](std::string_view text) {
                std::fwrite(text.data(), 1, text.size(), stream);
                std::fflush(stream);
            },
            [fd] { return query_geometry(fd); }, [] { return take_resize(); }};
}

const Geometry& LiveRegion::geometry() {
    if (output_.resized() || !have_geometry_) geometry_ = output_.geometry();
    have_geometry_ = true;
    return geometry_;
}

void LiveRegion::erase(std::string& out) {
    const Geometry& g = geometry();
    if (drawn_widths_.empty()) return;
    // The lines fit the width they were drawn at; after a narrowing resize the terminal re-wraps them.
    std::size_t rows = std::min(rows_taken(drawn_widths_, g.columns), g.rows);
    out += "\r\x1b[" + std::to_string(rows) + "A";
    drawn_widths_.clear();
    stale_below_ = true;
}

void LiveRegion::line(std::string& out, const std::string& plain, const std::string& painted, bool live) {
    const std::size_t columns = geometry().columns;
    std::size_t start = 0, painted_start = 0;
    // Each line of the text: its first row cleared before, its last row after, unless the text ends exactly at
    // the last column (the cursor then waits to wrap, and a clear there would take the last character).
    while (true) {
        const auto end = plain.find('\n', start);
        const auto painted_end = painted.find('\n', painted_start);
        const std::string piece = plain.substr(start, end == std::string::npos ? std::string::npos : end - start);
        const std::size_t width = display_width(piece);
        out += "\x1b[2K";
        out += painted.substr(painted_start, painted_end == std::string::npos ? std::string::npos : painted_end - painted_start);
        if (width == 0 || width % columns != 0) out += "\x1b[K";
        out += "\n";
        if (live) drawn_widths_.push_back(width);
        if (end == std::string::npos || painted_end == std::string::npos) break;
        start = end + 1;
        painted_start = painted_end + 1;
    }
}

void LiveRegion::end(std::string& out) {
    if (stale_below_) out += "\x1b[J";
    stale_below_ = false;
}

}  // namespace envctl::ui
