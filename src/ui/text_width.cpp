#include "envctl/ui/text_width.hpp"

#include <algorithm>
#include <iterator>

#include "envctl/util/utf8.hpp"

namespace envctl::ui {
namespace {

struct Range {
    char32_t first;
    char32_t last;
};

// Code points that take no column: combining marks, zero-width spaces and joiners, variation selectors.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0E31, 0x0E31},
    {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

// Code points that take two columns: East Asian Wide and Fullwidth (Hangul, CJK, kana, fullwidth forms) and the
// emoji blocks terminals draw wide.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

template <std::size_t N> bool in(const Range (&table)[N], char32_t code) {
    auto it = std::upper_bound(std::begin(table), std::end(table), code,
                               [](char32_t c, const Range& r) { return c < r.first; });
    return it != std::begin(table) && code <= std::prev(it)->last;
}

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one column

}  // namespace

std::size_t char_width(char32_t code) {
    if (code < 0x20 || (code >= 0x7F && code < 0xA0)) return 0;  // controls
    if (in(kZeroWidth, code)) return 0;
    if (in(kWide, code)) return 2;
    return 1;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        auto c = utf8::next_char(text, i);
        width += char_width(c.code);
        i += c.length;
    }
    return width;
}

std::string elide(std::string_view text, std::size_t columns) {
    if (columns == 0) return {};
    if (display_width(text) <= columns) return utf8::valid(text);
    // The prefix that fits in columns - 1, then the ellipsis. Zero-width marks after the last kept character stay
    // with it (they belong to it).
    std::size_t used = 0, end = 0;
    for (std::size_t i = 0; i < text.size();) {
        auto c = utf8::next_char(text, i);
        std::size_t w = char_width(c.code);
        if (used + w > columns - 1) break;
        used += w;
        i += c.length;
        end = i;
    }
    return utf8::valid(text.substr(0, end)) + std::string(kEllipsis);
}

}  // namespace envctl::ui
