#pragma once
// A small terminal emulator for unit tests of the live view: a grid of `columns` x `rows` cells that understands
// what ui::Progress writes (text, CR, LF, CSI n A, CSI J, CSI 2K, SGR), wraps at the last column as xterm does and
// scrolls lines off the top into a history (as does clearing the screen from its top-left corner, as tmux does).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace envctl::test {

class FakeTerminal {
public:
    FakeTerminal(std::size_t columns, std::size_t rows);
    void write(std::string_view bytes);
    // The visible screen, one string per row, trailing blanks removed.
    std::vector<std::string> screen() const;
    // The screen's non-empty rows.
    std::vector<std::string> lines() const;
    // What scrolled off the top.
    const std::vector<std::string>& history() const { return history_; }
    std::size_t columns() const { return columns_; }
    std::size_t rows() const { return rows_; }

private:
    void put(std::string glyph, std::size_t width);
    void line_feed();
    void csi(std::string_view params, char final);
    std::string row_text(std::size_t r) const;

    std::size_t columns_, rows_;
    std::vector<std::vector<std::string>> cells_;  // each cell: one character, "" for the right half of a wide one
    std::vector<std::string> history_;
    std::size_t row_ = 0, col_ = 0;
    bool pending_wrap_ = false;
};

}  // namespace envctl::test
