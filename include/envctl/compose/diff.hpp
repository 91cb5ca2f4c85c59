#pragma once
// A short unified-style diff: where two texts first differ, with a little context, for `generate --check`.

#include <cstddef>
#include <string>

namespace envctl::compose {

// Empty when the texts are equal. Otherwise "--- <old_label>\n+++ <new_label>\n@@ -a,n +b,m @@\n" and the first
// differing region (common prefix and suffix trimmed), at most `max_lines` changed lines of each side, with up to
// 3 lines of context before it, and "... (N more differing lines)" when cut.
std::string first_difference(const std::string& old_text, const std::string& new_text, const std::string& old_label,
                             const std::string& new_label, std::size_t max_lines = 12);

}  // namespace envctl::compose
