#include "envctl/compose/diff.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace envctl::compose {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) {
            out.push_back(text.substr(start) + " (no newline at end)");
            break;
        }
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

std::string first_difference(const std::string& old_text, const std::string& new_text, const std::string& old_label,
                             const std::string& new_label, std::size_t max_lines) {
    if (old_text == new_text) return "";
    const auto a = lines_of(old_text);
    const auto b = lines_of(new_text);
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    const std::size_t removed = a.size() - prefix - suffix;
    const std::size_t added = b.size() - prefix - suffix;
    const std::size_t context = std::min<std::size_t>(prefix, 3);
    const std::size_t first = prefix - context;

    std::string out = fmt::format("--- {}\n+++ {}\n", old_label, new_label);
    out += fmt::format("@@ -{},{} +{},{} @@\n", first + 1, context + removed, first + 1, context + added);
    for (std::size_t i = first; i < prefix; ++i) out += " " + a[i] + "\n";
    for (std::size_t i = 0; i < std::min(removed, max_lines); ++i) out += "-" + a[prefix + i] + "\n";
    for (std::size_t i = 0; i < std::min(added, max_lines); ++i) out += "+" + b[prefix + i] + "\n";
    const std::size_t cut = (removed > max_lines ? removed - max_lines : 0) + (added > max_lines ? added - max_lines : 0);
    if (cut) out += fmt::format("... ({} more differing lines)\n", cut);
    return out;
}

}  // namespace envctl::compose
