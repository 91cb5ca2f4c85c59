#include "support/fake_terminal.hpp"

#include <algorithm>
#include <cctype>

#include "envctl/ui/text_width.hpp"
#include "envctl/util/utf8.hpp"

namespace envctl::test {

FakeTerminal::FakeTerminal(std::size_t columns, std::size_t rows)
    : columns_(columns), rows_(rows), cells_(rows, std::vector<std::string>(columns, " ")) {}

void FakeTerminal::line_feed() {
    if (row_ + 1 < rows_) {
        ++row_;
        return;
    }
    history_.push_back(row_text(0));
    cells_.erase(cells_.begin());
    cells_.emplace_back(columns_, " ");
}

void FakeTerminal::put(std::string glyph, std::size_t width) {
    if (width == 0) return;  // combining marks: ignored here
    if (pending_wrap_ || col_ + width > columns_) {
        col_ = 0;
        line_feed();
        pending_wrap_ = false;
    }
    cells_[row_][col_] = std::move(glyph);
    if (width == 2 && col_ + 1 < columns_) cells_[row_][col_ + 1] = "";
    col_ += width;
    if (col_ >= columns_) {
        col_ = columns_ - 1;
        pending_wrap_ = true;
    }
}

void FakeTerminal::csi(std::string_view params, char final) {
    const std::size_t n = params.empty() ? 1 : std::stoul(std::string(params));
    switch (final) {
    case 'A':
        row_ = row_ >= n ? row_ - n : 0;
        pending_wrap_ = false;
        break;
    case 'J':
        // As tmux 3.3 (scroll-on-clear): a screen cleared from the top-left corner goes to the scrollback first.
        if (row_ == 0 && col_ == 0)
            for (std::size_t r = 0; r < rows_; ++r)
                if (!row_text(r).empty()) history_.push_back(row_text(r));
        for (std::size_t c = col_; c < columns_; ++c) cells_[row_][c] = " ";
        for (std::size_t r = row_ + 1; r < rows_; ++r) std::fill(cells_[r].begin(), cells_[r].end(), " ");
        break;
    case 'K':  // 2: the whole line; otherwise from the cursor to its end (at a pending wrap: the last column)
        if (params == "2") std::fill(cells_[row_].begin(), cells_[row_].end(), " ");
        else for (std::size_t c = col_; c < columns_; ++c) cells_[row_][c] = " ";
        break;
    default: break;  // 'm' (colour) and the rest change no cell
    }
}

void FakeTerminal::write(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size();) {
        char c = bytes[i];
        if (c == '\x1b' && i + 1 < bytes.size() && bytes[i + 1] == '[') {
            std::size_t j = i + 2;
            while (j < bytes.size() && (std::isdigit(static_cast<unsigned char>(bytes[j])) || bytes[j] == ';')) ++j;
            if (j < bytes.size()) csi(bytes.substr(i + 2, j - i - 2).find(';') == std::string_view::npos
                                          ? bytes.substr(i + 2, j - i - 2) : std::string_view{}, bytes[j]);
            i = j + 1;
        } else if (c == '\r') {
            col_ = 0, pending_wrap_ = false, ++i;
        } else if (c == '\n') {
            col_ = 0, pending_wrap_ = false, ++i;  // the tty's onlcr: LF moves to the start of the next line
            line_feed();
        } else {
            auto ch = utf8::next_char(bytes, i);
            put(std::string(bytes.substr(i, ch.length)), ui::char_width(ch.code));
            i += ch.length;
        }
    }
}

std::string FakeTerminal::row_text(std::size_t r) const {
    std::string text;
    for (const auto& cell : cells_[r]) text += cell;
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

std::vector<std::string> FakeTerminal::screen() const {
    std::vector<std::string> out;
    for (std::size_t r = 0; r < rows_; ++r) out.push_back(row_text(r));
    return out;
}

std::vector<std::string> FakeTerminal::lines() const {
    std::vector<std::string> out;
    for (auto& line : screen())
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace envctl::test
