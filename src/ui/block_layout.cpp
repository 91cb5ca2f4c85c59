#include "envctl/ui/block_layout.hpp"

#include <algorithm>

#include "envctl/ui/text_width.hpp"

namespace envctl::ui {
namespace {

std::size_t longest_name(const std::vector<Entry>& entries) {
    std::size_t width = 0;
    for (const auto& e : entries) width = std::max(width, display_width(e.name));
    return width;
}

}  // namespace

std::size_t usable_columns(const Geometry& g) { return g.columns > 1 ? g.columns - 1 : 1; }

std::size_t max_block_lines(const Geometry& g) { return g.rows > 2 ? g.rows - 2 : 1; }

BlockLine entry_line(const Entry& entry, std::size_t name_width, std::size_t columns) {
    const std::size_t pad = name_width > display_width(entry.name) ? name_width - display_width(entry.name) : 0;
    const std::string head = "  " + entry.name + std::string(pad + 2, ' ');
    BlockLine line;
    line.text = elide(head + entry.status, columns);
    // When the cut falls inside the name, there is no status to colour.
    const bool head_whole = line.text.size() >= head.size() && line.text.compare(0, head.size(), head) == 0;
    line.status_at = head_whole ? head.size() : line.text.size();
    line.tone = entry.tone;
    return line;
}

std::string status_category(std::string_view status) {
    auto end = status.find_first_of(" :,(");
    auto word = status.substr(0, end);
    return word.empty() ? std::string("waiting") : std::string(word);
}

std::string summary_line(const std::vector<Entry>& hidden) {
    std::vector<std::pair<std::string, std::size_t>> counts;
    for (const auto& e : hidden) {
        auto category = status_category(e.status);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == category; });
        if (it == counts.end()) counts.emplace_back(category, 1);
        else ++it->second;
    }
    std::string line = "+ " + std::to_string(hidden.size()) + " more";
    for (std::size_t i = 0; i < counts.size(); ++i)
        line += (i == 0 ? ": " : ", ") + std::to_string(counts[i].second) + " " + counts[i].first;
    return line;
}

std::vector<BlockLine> layout_block(const std::vector<Entry>& entries, const Geometry& g) {
    const std::size_t columns = usable_columns(g);
    const std::size_t limit = max_block_lines(g);
    const std::size_t name_width = longest_name(entries);
    std::vector<BlockLine> lines;
    if (entries.size() <= limit) {
        for (const auto& e : entries) lines.push_back(entry_line(e, name_width, columns));
        return lines;
    }
    // Room for limit - 1 entries: those still in progress first, then finished ones, each group in order.
    const std::size_t room = limit - 1;
    std::vector<bool> shown(entries.size(), false);
    std::size_t taken = 0;
    for (int pass = 0; pass < 2 && taken < room; ++pass)
        for (std::size_t i = 0; i < entries.size() && taken < room; ++i)
            if (!shown[i] && ((entries[i].tone != Tone::ok) == (pass == 0))) shown[i] = true, ++taken;
    std::vector<Entry> hidden;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (shown[i]) lines.push_back(entry_line(entries[i], name_width, columns));
        else hidden.push_back(entries[i]);
    }
    BlockLine summary;
    summary.text = elide(summary_line(hidden), columns);
    summary.status_at = summary.text.size();
    lines.push_back(summary);
    return lines;
}

std::vector<BlockLine> final_lines(const std::vector<Entry>& entries, const Geometry& g) {
    const std::size_t name_width = longest_name(entries);
    std::vector<BlockLine> lines;
    for (const auto& e : entries) lines.push_back(entry_line(e, name_width, usable_columns(g)));
    return lines;
}

std::size_t rows_taken(const std::vector<std::size_t>& widths, std::size_t columns) {
    if (columns == 0) columns = 1;
    std::size_t rows = 0;
    for (auto w : widths) rows += w == 0 ? 1 : (w + columns - 1) / columns;
    return rows;
}

}  // namespace envctl::ui
