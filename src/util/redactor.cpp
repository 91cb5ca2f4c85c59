#include "envctl/util/redactor.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace envctl {

bool Redactor::is_secret_name(std::string_view name) {
    std::string upper(name);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static constexpr std::array<std::string_view, 4> markers{"PASSWORD", "SECRET", "TOKEN", "KEY"};
    return std::any_of(markers.begin(), markers.end(),
                       [&](std::string_view m) { return upper.find(m) != std::string::npos; });
}

void Redactor::add_secret(std::string value) {
    if (value.size() < 3) return;
    if (std::find(secrets_.begin(), secrets_.end(), value) != secrets_.end()) return;
    secrets_.push_back(std::move(value));
    std::stable_sort(secrets_.begin(), secrets_.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void Redactor::add_secrets_from(const std::map<std::string, std::string>& variables) {
    for (const auto& [name, value] : variables)
        if (is_secret_name(name)) add_secret(value);
}

void Redactor::add_public(std::string text) {
    if (text.empty() || std::find(publics_.begin(), publics_.end(), text) != publics_.end()) return;
    publics_.push_back(std::move(text));
}

std::string Redactor::redact(std::string_view text) const {
    if (secrets_.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    // Left to right: at each position the longest text starting there wins: a secret is replaced, a public text
    // copied whole (so a secret inside it stays), anything else copied a character at a time.
    for (std::size_t i = 0; i < text.size();) {
        std::size_t secret = 0, shown = 0;
        for (const auto& s : secrets_)
            if (s.size() > secret && text.compare(i, s.size(), s) == 0) secret = s.size();
        for (const auto& p : publics_)
            if (p.size() > shown && text.compare(i, p.size(), p) == 0) shown = p.size();
        if (secret > 0 && secret >= shown) {
            out += "***";
            i += secret;
        } else if (shown > 0) {
            out.append(text.substr(i, shown));
            i += shown;
        } else {
            out += text[i++];
        }
    }
    return out;
}

Redactor& Redactor::global() {
    static Redactor instance;
    return instance;
}

}  // namespace envctl
