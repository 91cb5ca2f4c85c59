#include "envctl/core/references.hpp"

#include <cctype>
#include <set>

#include "envctl/core/error.hpp"

namespace envctl::references {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::size_t name_end(std::string_view text, std::size_t begin) {
    if (begin >= text.size() || !is_name_start(text[begin])) return begin;
    std::size_t i = begin + 1;
    while (i < text.size() && is_name_char(text[i])) ++i;
    return i;
}

// The braced form "${...}" starting at text[pos] == '$': the reference and the index after '}', or nullopt when
// the text there is not a well-formed reference.
std::optional<std::pair<Reference, std::size_t>> braced(std::string_view text, std::size_t pos) {
    const std::size_t begin = pos + 2;
    const std::size_t end = name_end(text, begin);
    if (end == begin) return std::nullopt;
    const std::size_t close = text.find('}', end);
    if (close == std::string_view::npos) return std::nullopt;
    Reference ref;
    ref.name = std::string(text.substr(begin, end - begin));
    const std::string_view modifier = text.substr(end, close - end);
    if (!modifier.empty()) {
        const bool colon = modifier.front() == ':';
        const std::string_view op = colon ? modifier.substr(1) : modifier;
        if (op.empty() || (op.front() != '-' && op.front() != '?')) return std::nullopt;
        if (op.front() == '-') {
            ref.modifier = colon ? Modifier::default_if_empty : Modifier::default_if_unset;
        } else {
            ref.modifier = colon ? Modifier::error_if_empty : Modifier::error_if_unset;
        }
        ref.argument = std::string(op.substr(1));
    }
    return std::make_pair(std::move(ref), close + 1);
}

void add_literal(std::vector<Piece>& pieces, std::string_view text) {
    if (pieces.empty() || pieces.back().reference) pieces.push_back(Piece{});
    pieces.back().literal += text;
}

}  // namespace

std::vector<Piece> parse(std::string_view text) {
    std::vector<Piece> pieces;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c != '$' || i + 1 >= text.size()) {
            add_literal(pieces, text.substr(i, 1));
            ++i;
            continue;
        }
        const char next = text[i + 1];
        if (next == '$') {
            add_literal(pieces, "$");
            i += 2;
        } else if (next == '{') {
            auto found = braced(text, i);
            if (!found) {
                add_literal(pieces, "$");
                ++i;
            } else {
                pieces.push_back(Piece{"", std::move(found->first)});
                i = found->second;
            }
        } else if (is_name_start(next)) {
            const std::size_t end = name_end(text, i + 1);
            Reference ref;
            ref.name = std::string(text.substr(i + 1, end - i - 1));
            ref.braced = false;
            pieces.push_back(Piece{"", std::move(ref)});
            i = end;
        } else {
            add_literal(pieces, "$");
            ++i;
        }
    }
    return pieces;
}

std::vector<std::string> names(std::string_view text, bool with_defaults) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& piece : parse(text)) {
        if (!piece.reference || (!with_defaults && piece.reference->has_default())) continue;
        if (seen.insert(piece.reference->name).second) out.push_back(piece.reference->name);
    }
    return out;
}

std::optional<Reference> whole_reference(std::string_view text) {
    auto pieces = parse(text);
    if (pieces.size() != 1 || !pieces.front().reference || !pieces.front().reference->braced) return std::nullopt;
    return pieces.front().reference;
}

std::string value_of(const Reference& ref, const Lookup& lookup, const std::string& context) {
    const std::string* value = lookup(ref.name);
    const bool unset = value == nullptr;
    const bool empty = unset || value->empty();
    switch (ref.modifier) {
    case Modifier::none: break;
    case Modifier::default_if_empty:
        if (empty) return ref.argument;
        break;
    case Modifier::default_if_unset:
        if (unset) return ref.argument;
        break;
    case Modifier::error_if_empty:
    case Modifier::error_if_unset: {
        const bool colon = ref.modifier == Modifier::error_if_empty;
        if (colon ? empty : unset) {
            const std::string why =
                ref.argument.empty() ? std::string(colon ? "is unset or empty" : "is unset") : ref.argument;
            throw usage_error(ref.name + " " + why + " (" + context + "): set " + ref.name + " in the settings file");
        }
        break;
    }
    }
    return unset ? std::string() : *value;
}

std::string substitute(std::string_view text, const Lookup& lookup, const std::string& context) {
    std::string out;
    out.reserve(text.size());
    for (const auto& piece : parse(text))
        out += piece.reference ? value_of(*piece.reference, lookup, context) : piece.literal;
    return out;
}

}  // namespace envctl::references
