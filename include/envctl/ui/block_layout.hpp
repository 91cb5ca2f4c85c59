#pragma once
// The live block's geometry, as pure functions (no terminal, no I/O): which lines the block shows on a terminal of
// a given size, each cut to the width, and how many rows lines drawn earlier take after a resize.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace envctl::ui {

struct Geometry {
    std::size_t columns = 80;
    std::size_t rows = 24;
};

enum class Tone { neutral, ok, bad };

// One entry of the block: a service (or an image) and its state.
struct Entry {
    std::string name;
    std::string status;
    Tone tone = Tone::neutral;
};

// One line of the block as drawn: plain text (no escape sequence) that fits the width; the status starts at byte
// `status_at` (text.size() when it was cut off), so a caller can colour it.
struct BlockLine {
    std::string text;
    std::size_t status_at = 0;
    Tone tone = Tone::neutral;
};

// The columns a block line may take: one less than the terminal's, so that no terminal wraps (or holds a pending
// wrap) at the last column. At least 1.
std::size_t usable_columns(const Geometry& g);

// The most lines the block may have: the terminal's rows less two (the cursor's row below the block, and one row
// above it for the latest message), at least 1.
std::size_t max_block_lines(const Geometry& g);

// "  name    status": names padded to the longest name, cut to `columns` with "…".
BlockLine entry_line(const Entry& entry, std::size_t name_width, std::size_t columns);

// The first word of a status, the category the summary counts: "ready (1.2s)" -> "ready", "failed: ..." -> "failed".
std::string status_category(std::string_view status);

// "+ 12 more: 9 ready, 3 starting" for the entries the block cannot show (categories in order of first appearance).
std::string summary_line(const std::vector<Entry>& hidden);

// The block on a terminal of geometry `g`: every entry when they fit in max_block_lines, otherwise as many entries
// as fit less one, then the summary of the rest. Entries still in progress are shown before finished ones (ok);
// the shown ones keep their order. Every line fits usable_columns(g).
std::vector<BlockLine> layout_block(const std::vector<Entry>& entries, const Geometry& g);

// The final lines: every entry, each cut to the width, however many there are (they scroll as ordinary lines).
std::vector<BlockLine> final_lines(const std::vector<Entry>& entries, const Geometry& g);

// The rows lines of these display widths take on a terminal `columns` wide that re-wraps on resize (as tmux, VTE
// and most terminals do): a line wider than the terminal takes several rows, an empty one still takes one.
std::size_t rows_taken(const std::vector<std::size_t>& widths, std::size_t columns);

}  // namespace envctl::ui
