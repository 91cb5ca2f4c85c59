#pragma once
// The one parser of variable references in descriptor (compose) text, used by every rendering and check:
//   $$ -> a literal $        $VAR, ${VAR} -> VAR's value or ""
//   ${VAR:-default}: default when VAR is unset or empty     ${VAR-default}: default when VAR is unset
//   ${VAR:?message}: an error when VAR is unset or empty    ${VAR?message}: an error when VAR is unset
// Anything else after a '$' (e.g. "$1", an unclosed "${") is literal text.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envctl::references {

enum class Modifier {
    none,             // ${VAR}, $VAR
    default_if_empty, // ${VAR:-x}
    default_if_unset, // ${VAR-x}
    error_if_empty,   // ${VAR:?x}
    error_if_unset,   // ${VAR?x}
};

struct Reference {
    std::string name;
    Modifier modifier = Modifier::none;
    std::string argument;  // the default or the message
    bool braced = true;

    bool has_default() const { return modifier == Modifier::default_if_empty || modifier == Modifier::default_if_unset; }
};

// A run of literal text (with "$$" already turned into "$"), or one reference.
struct Piece {
    std::string literal;
    std::optional<Reference> reference;
};

std::vector<Piece> parse(std::string_view text);

// The names referenced, in order of appearance, each once; with_defaults=false leaves out ${VAR:-x} and ${VAR-x}.
std::vector<std::string> names(std::string_view text, bool with_defaults = true);

// The reference when the whole text is exactly one braced reference (e.g. "${DB_PASSWORD}"), else nullopt.
std::optional<Reference> whole_reference(std::string_view text);

// A variable's value, or nullptr when it is unset.
using Lookup = std::function<const std::string*(const std::string& name)>;

// What the reference stands for under `lookup`. Throws envctl::Error(usage) for a ${VAR:?message} whose VAR is
// missing, naming VAR and `context` (e.g. "service postgresql, environment POSTGRES_PASSWORD").
std::string value_of(const Reference& reference, const Lookup& lookup, const std::string& context);

// The text with every reference replaced by its value (value_of) and "$$" by "$".
std::string substitute(std::string_view text, const Lookup& lookup, const std::string& context);

}  // namespace envctl::references
