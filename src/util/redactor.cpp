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

std::string Redactor::redact(std::string_view text) const {
    std::string out(text);
    for (const auto& secret : secrets_) {
        std::size_t pos = 0;
        while ((pos = out.find(secret, pos)) != std::string::npos) {
            out.replace(pos, secret.size(), "***");
            pos += 3;
        }
    }
    return out;
}

Redactor& Redactor::global() {
    static Redactor instance;
    return instance;
}

}  // namespace envctl
