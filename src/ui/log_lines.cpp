#include "envctl/ui/log_lines.hpp"

#include <algorithm>
#include <cctype>

#include "envctl/ui/text_width.hpp"

namespace envctl::ui {
namespace {

// Colours for service names, as docker compose cycles them: cyan, yellow, green, magenta, blue, then bright ones.
constexpr const char* kColours[] = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// "2026-11-27T14:50:01[.fraction](Z|+hh:mm)": the sortable key, or "" when `token` is not such a time.
std::string key_of(std::string_view token) {
    if (token.size() < 20 || token[4] != '-' || token[7] != '-' || token[10] != 'T' || token[13] != ':' || token[16] != ':')
        return {};
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
        if (!digit(token[i])) return {};
    std::string key(token.substr(0, 19));
    std::string fraction;
    std::size_t i = 19;
    if (i < token.size() && token[i] == '.')
        for (++i; i < token.size() && digit(token[i]); ++i) fraction += token[i];
    if (i >= token.size() || (token[i] != 'Z' && token[i] != '+' && token[i] != '-')) return {};
    fraction.resize(9, '0');
    return key + "." + fraction.substr(0, 9);
}

}  // namespace

std::string log_prefix(const std::string& name, std::size_t width, std::size_t index, bool colour) {
    const std::size_t w = display_width(name);
    std::string padded = name + std::string(width > w ? width - w : 0, ' ');
    if (!colour) return padded + " | ";
    return std::string("\x1b[") + kColours[index % std::size(kColours)] + "m" + padded + " |\x1b[0m ";
}

TimedLine split_timestamp(std::string_view line) {
    auto space = line.find(' ');
    auto token = line.substr(0, space);
    TimedLine out;
    out.key = key_of(token);
    if (out.key.empty()) {
        out.text = std::string(line);
        return out;
    }
    out.stamp = std::string(token);
    out.text = space == std::string_view::npos ? std::string() : std::string(line.substr(space + 1));
    return out;
}

std::vector<std::pair<std::size_t, TimedLine>> merge_by_time(const std::vector<ServiceLines>& services) {
    // Each line's effective key: its own, or the one before it in its service (so it stays after that line).
    struct Item {
        std::string key;
        std::size_t service, position;
    };
    std::vector<Item> items;
    for (std::size_t s = 0; s < services.size(); ++s) {
        std::string last;
        for (std::size_t p = 0; p < services[s].lines.size(); ++p) {
            if (!services[s].lines[p].key.empty()) last = services[s].lines[p].key;
            items.push_back({last, s, p});
        }
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.key < b.key; });
    std::vector<std::pair<std::size_t, TimedLine>> out;
    for (const auto& it : items) out.emplace_back(it.service, services[it.service].lines[it.position]);
    return out;
}

}  // namespace envctl::ui
