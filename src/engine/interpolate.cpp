#include "envctl/engine/interpolate.hpp"

#include <cctype>

#include "envctl/core/error.hpp"

namespace envctl::engine {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::size_t name_end(std::string_view text, std::size_t begin) {
    if (begin >= text.size() || !is_name_start(text[begin])) return begin;
    std::size_t i = begin + 1;
    while (i < text.size() && is_name_char(text[i])) ++i;
    return i;
}

// The braced form "${...}" starting at text[pos] == '$'. Appends the result and returns the index after '}', or
// returns pos when the text there is not a well-formed reference (it is then kept literally).
std::size_t braced(std::string_view text, std::size_t pos, const VariableLookup& lookup, const std::string& context,
                   std::string& out) {
    std::size_t begin = pos + 2;
    std::size_t end = name_end(text, begin);
    if (end == begin) return pos;
    std::size_t close = text.find('}', end);
    if (close == std::string_view::npos) return pos;
    std::string name(text.substr(begin, end - begin));
    std::string_view modifier = text.substr(end, close - end);
    const std::string* value = lookup(name);
    bool unset = value == nullptr;
    bool empty = unset || value->empty();
    if (modifier.empty()) {
        if (!unset) out += *value;
        return close + 1;
    }
    bool colon = modifier.front() == ':';
    std::string_view op = colon ? modifier.substr(1) : modifier;
    if (op.empty() || (op.front() != '-' && op.front() != '?')) return pos;
    std::string_view arg = op.substr(1);
    bool missing = colon ? empty : unset;
    if (op.front() == '-') {
        out += missing ? std::string(arg) : *value;
        return close + 1;
    }
    if (missing) {
        std::string why = arg.empty() ? std::string(colon ? "is unset or empty" : "is unset") : std::string(arg);
        throw usage_error(name + " " + why + " (" + context + "): set " + name + " in the settings file");
    }
    out += *value;
    return close + 1;
}

}  // namespace

std::string interpolate(std::string_view text, const VariableLookup& lookup, const std::string& context) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (c != '$' || i + 1 >= text.size()) {
            out += c;
            ++i;
            continue;
        }
        char next = text[i + 1];
        if (next == '$') {
            out += '$';
            i += 2;
        } else if (next == '{') {
            std::size_t after = braced(text, i, lookup, context, out);
            if (after == i) {
                out += c;
                ++i;
            } else {
                i = after;
            }
        } else if (is_name_start(next)) {
            std::size_t end = name_end(text, i + 1);
            const std::string* value = lookup(std::string(text.substr(i + 1, end - i - 1)));
            if (value != nullptr) out += *value;
            i = end;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

}  // namespace envctl::engine
