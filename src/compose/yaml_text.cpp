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
