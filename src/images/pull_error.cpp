// What a failed `podman pull` means, from the registry's answer as podman prints it. Measured (podman 4.3):
//   Error: initializing source docker://redis:7: (Mirrors also failed: [127.0.0.1:5000/library/redis:7: reading
//   manifest 7 in 127.0.0.1:5000/library/redis: manifest unknown: manifest unknown]): docker.io/library/redis:7:
//   pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup
//   registry-1.docker.io on 10.255.255.53:53: no such host
// and, without a mirror, "reading manifest 7 in HOST/library/redis: unauthorized: authentication required".
#include <regex>
#include <vector>

#include <fmt/format.h>

#include "envctl/images/pull.hpp"

namespace envctl::images {
namespace {

constexpr std::size_t kAnswerLimit = 240;

struct Match {
    PullCause cause;
    std::size_t at;  // where the registry's words start
};

std::size_t find_any(const std::string& text, const std::vector<const char*>& parts) {
    std::size_t best = std::string::npos;
    for (const char* p : parts) best = std::min(best, text.find(p));
    return best;
}

// The first conclusive cause in `text`, most specific first.
std::optional<Match> classify_text(const std::string& text) {
    // Vectors, not initializer_lists: a pair's copy of an initializer_list outlives the array behind it.
    static const std::pair<PullCause, std::vector<const char*>> rules[] = {
        {PullCause::rate_limited, {"toomanyrequests", "Too Many Requests", "rate limit"}},
        {PullCause::unauthorized,
         {"unauthorized", "authentication required", "requested access to the resource is denied", "denied:"}},
        {PullCause::not_found, {"manifest unknown", "name unknown", "not found", "repository name not known"}},
        {PullCause::unreachable,
         {"no such host", "connection refused", "i/o timeout", "network is unreachable", "connection reset",
          "TLS handshake timeout", "server misbehaving", "no route to host", "pinging container registry",
          "dial tcp"}},
    };
    for (const auto& [cause, parts] : rules) {
        auto at = find_any(text, parts);
        if (at != std::string::npos) return Match{cause, at};
    }
    return std::nullopt;
}

std::string one_line(std::string text) {
    for (auto& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    while (!text.empty() && (text.back() == ' ' || text.back() == ']' || text.back() == ')')) text.pop_back();
    if (text.size() > kAnswerLimit) text = text.substr(0, kAnswerLimit) + "...";
    return text;
}

// The registry named in `text`: "reading manifest TAG in HOST/...", "[HOST/repo...", "pinging container registry
// HOST"; empty when none is.
std::string registry_in(const std::string& text) {
    static const std::regex patterns[] = {
        std::regex(R"(reading manifest \S+ in ([^/\s\]]+)/)"),
        std::regex(R"(pinging container registry ([^:\s]+))"),
        std::regex(R"(^\s*\[?([^/\s\[\]]+\.[^/\s\[\]]+|[^/\s\[\]]+:[0-9]+)/)"),
    };
    std::smatch m;
    for (const auto& re : patterns)
        if (std::regex_search(text, m, re)) return m[1].str();
    return "";
}

}  // namespace

std::string_view to_string(PullCause cause) {
    switch (cause) {
    case PullCause::not_found: return "not found";
    case PullCause::unauthorized: return "unauthorized";
    case PullCause::rate_limited: return "rate limited";
    case PullCause::unreachable: return "registry unreachable";
    case PullCause::timed_out: return "timed out";
    case PullCause::cancelled: return "cancelled";
    case PullCause::other: return "pull failed";
    }
    return "pull failed";
}

std::string registry_of(const std::string& image) {
    auto slash = image.find('/');
    if (slash == std::string::npos) return "docker.io";
    auto first = image.substr(0, slash);
    bool is_host = first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost";
    return is_host ? first : "docker.io";
}

PullError classify_pull_error(const std::string& image, const std::string& err) {
    PullError e;
    // Where only mirrors were tried for real, their answer is the one that counts.
    const std::string marker = "Mirrors also failed: [";
    if (auto m = err.find(marker); m != std::string::npos) {
        auto start = m + marker.size();
        auto end = err.find("]):", start);
        std::string mirrors = err.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (auto match = classify_text(mirrors); match && match->cause != PullCause::unreachable) {
            e.cause = match->cause;
            e.registry = registry_in(mirrors);
            e.answer = one_line(mirrors.substr(match->at));
            if (e.registry.empty()) e.registry = registry_of(image);
            return e;
        }
    }
    if (auto match = classify_text(err)) {
        e.cause = match->cause;
        e.answer = one_line(err.substr(match->at));
        // The registry that answered: the text before the answer names it.
        e.registry = registry_in(err.substr(0, err.find('\n', match->at)));
    } else {
        auto nl = err.rfind("Error: ");
        e.answer = one_line(nl == std::string::npos ? err : err.substr(nl + 7));
    }
    if (e.registry.empty()) e.registry = registry_of(image);
    return e;
}

std::string PullError::explain() const {
    switch (cause) {
    case PullCause::not_found:
        return fmt::format("not found: {} has no such image or tag ({})", registry, answer);
    case PullCause::unauthorized:
        return fmt::format("unauthorized: {} refused access ({}): run `podman login {}` (a registry may also answer "
                           "so for an image that does not exist)", registry, answer, registry);
    case PullCause::rate_limited:
        return fmt::format("rate limited by {}: wait and retry later, or `podman login {}` for a higher limit "
                           "(the registry says: {})", registry, registry, answer);
    case PullCause::unreachable:
        return fmt::format("registry unreachable: {} ({}): check the network, proxy and registries.conf", registry,
                           answer);
    case PullCause::timed_out: return "timed out: " + answer;
    case PullCause::cancelled: return "not finished: " + answer;
    case PullCause::other: return "pull failed: " + answer;
    }
    return answer;
}

std::string format_size(std::int64_t bytes) {
    if (bytes < 1000) return fmt::format("{} B", bytes);
    if (bytes < 1000 * 1000) return fmt::format("{:.0f} kB", static_cast<double>(bytes) / 1e3);
    if (bytes < 1000LL * 1000 * 1000) return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
    return fmt::format("{:.2f} GB", static_cast<double>(bytes) / 1e9);
}

}  // namespace envctl::images
