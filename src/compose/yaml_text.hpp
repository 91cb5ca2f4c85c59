#pragma once
// Private to the renderer: YAML scalars written by hand, so the output is deterministic and every value reads
// back as the string it was (both compose implementations parse YAML 1.1, where yes, on, 0755 or 1e3 are not
// strings unless quoted).

#include <string>
#include <vector>

namespace envctl::compose::detail {

// Plain when that is unambiguous (a letter or '/' first, then letters, digits, '_', '.', '/', '-', and not a YAML
// 1.1 boolean or null word); double-quoted with escapes otherwise.
std::string scalar(const std::string& value);
// Always double-quoted.
std::string quoted(const std::string& value);
// A flow sequence of double-quoted strings: ["a", "b"].
std::string flow_list(const std::vector<std::string>& items);

}  // namespace envctl::compose::detail

#include <nlohmann/json.hpp>

namespace envctl::compose::detail {

// A YAML block document of a JSON tree (mappings in the tree's order; strings through scalar(), numbers and
// booleans as themselves, empty mappings and sequences as {} and []). Ends with a newline.
std::string block(const nlohmann::ordered_json& node);

}  // namespace envctl::compose::detail
