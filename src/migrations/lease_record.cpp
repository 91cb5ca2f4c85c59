// What a lease's comment says, and when it expires: pure functions (unit-tested).
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/migrations/leases.hpp"

namespace envctl::migrations {

namespace {
constexpr const char* kMarker = "envctl.lease/v1 ";
}

std::string to_comment(const Lease& lease) {
    return kMarker +
           nlohmann::json{{"source", lease.source}, {"created_at", lease.created_at}, {"expires_at", lease.expires_at}}
               .dump();
}

std::optional<Lease> parse_lease_comment(const std::string& name, const std::string& comment) {
    if (comment.rfind(kMarker, 0) != 0) return std::nullopt;
    try {
        const auto j = nlohmann::json::parse(comment.substr(std::string(kMarker).size()));
        Lease lease{name, j.at("source").get<std::string>(), j.at("created_at").get<std::string>(),
                    j.at("expires_at").get<std::string>()};
        if (!timestamp_ms(lease.created_at) || !timestamp_ms(lease.expires_at)) return std::nullopt;
        return lease;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool expired(const Lease& lease, const std::string& now) { return lease.expires_at <= now; }

std::optional<std::int64_t> timestamp_ms(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
    char z = 0;
    if (text.size() != 24 ||
        std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &s, &ms, &z) != 8 || z != 'Z')
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                           std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
    const auto days = std::chrono::sys_days(date).time_since_epoch().count();
    return ((static_cast<std::int64_t>(days) * 24 + h) * 60 + mi) * 60000 + static_cast<std::int64_t>(s) * 1000 + ms;
}

std::string lease_name(const std::string& database, std::uint64_t random) { return derived_name(database, "lease", random); }

std::string derived_name(const std::string& database, const std::string& kind, std::uint64_t random) {
    const std::string suffix = fmt::format("__{}_{:010x}", kind, random & 0xffffffffffULL);
    return database.substr(0, 63 - suffix.size()) + suffix;
}

}  // namespace envctl::migrations
