#include "yaml_text.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace envctl::compose::detail {

namespace {

constexpr std::array<std::string_view, 25> kReserved = {
    "y",     "Y",     "yes",   "Yes", "YES", "n",   "N",   "no",  "No",   "NO",   "true", "True", "TRUE",
    "false", "False", "FALSE", "on",  "On",  "ON",  "off", "Off", "OFF", "null", "Null", "NULL"};

bool plain_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '/' || c == '-';
}

bool is_plain_safe(const std::string& v) {
    if (v.empty()) return false;
    const char first = v.front();
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '/')) return false;
    for (char c : v)
        if (!plain_char(c)) return false;
    for (auto word : kReserved)
        if (v == word) return false;
    return true;
}

}  // namespace

std::string quoted(const std::string& value) {
    std::string out = "\"";
    for (unsigned char c : value) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f)
                out += fmt::format("\\x{:02x}", c);
            else
                out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string scalar(const std::string& value) { return is_plain_safe(value) ? value : quoted(value); }

std::string flow_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
    return out + "]";
}

}  // namespace envctl::compose::detail

namespace envctl::compose::detail {

namespace {

bool is_leaf(const nlohmann::ordered_json& node) {
    return !node.is_structured() || node.empty();
}

std::string leaf(const nlohmann::ordered_json& node) {
    if (node.is_string()) return scalar(node.get<std::string>());
    if (node.is_object()) return "{}";
    if (node.is_array()) return "[]";
    if (node.is_null()) return "null";
    return node.dump();  // numbers and booleans
}

void emit(const nlohmann::ordered_json& node, std::size_t indent, std::string& out);

// A mapping's entries or a sequence's items at `indent`; the first line's indent is already written when
// `first_inline` (a mapping that is a sequence item: "- key: value").
void emit_entries(const nlohmann::ordered_json& node, std::size_t indent, bool first_inline, std::string& out) {
    bool first = true;
    const std::string pad(indent, ' ');
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (!(first && first_inline)) out += pad;
            first = false;
            out += scalar(key) + ":";
            if (is_leaf(value)) {
                out += " " + leaf(value) + "\n";
            } else {
                out += "\n";
                emit(value, value.is_array() ? indent : indent + 2, out);
            }
        }
        return;
    }
    for (const auto& item : node) {
        out += pad + "-";
        if (is_leaf(item)) {
            out += " " + leaf(item) + "\n";
        } else if (item.is_object()) {
            out += " ";
            emit_entries(item, indent + 2, true, out);
        } else {
            out += "\n";
            emit(item, indent + 2, out);
        }
    }
}

void emit(const nlohmann::ordered_json& node, std::size_t indent, std::string& out) {
    emit_entries(node, indent, false, out);
}

}  // namespace

std::string block(const nlohmann::ordered_json& node) {
    if (is_leaf(node)) return leaf(node) + "\n";
    std::string out;
    emit(node, 0, out);
    return out;
}

}  // namespace envctl::compose::detail
