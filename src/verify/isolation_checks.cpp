// The migrations category's isolation promise: each database's owner role connects to its own database and is
// refused (no CONNECT privilege) by every other database of POSTGRES_MULTIPLE_DATABASES.
#include <algorithm>

#include <fmt/format.h>

#include "envctl/migrations/config.hpp"
#include "envctl/orchestration/up.hpp"
#include "envctl/verify/suite.hpp"

namespace envctl::verify {
namespace {

using namespace std::chrono_literals;

bool refused_by_privilege(const std::string& detail) {
    return detail.find("permission denied for database") != std::string::npos ||
           detail.find("CONNECT privilege") != std::string::npos;
}

Outcome isolation(const settings::Settings& settings, const std::string& database, Deadline deadline) {
    const auto config = migrations::config_from(settings);
    auto own = std::find_if(config.databases.begin(), config.databases.end(),
                            [&](const migrations::DatabaseTarget& t) { return t.name == database; });
    if (own == config.databases.end()) return {false, database + " is not in POSTGRES_MULTIPLE_DATABASES"};
    auto info = config.owner_connection(*own);
    info.connect_timeout = std::clamp<Duration>(remaining(deadline), 1ms, 2s);
    auto mine = db::ping(info);
    if (!mine.ok) return {false, fmt::format("{} cannot connect to its own database: {}", own->owner, mine.detail)};
    std::vector<std::string> refused, problems;
    for (const auto& other : config.databases) {
        if (other.name == database) continue;
        auto foreign = info;
        foreign.database = other.name;
        foreign.connect_timeout = std::clamp<Duration>(remaining(deadline), 1ms, 2s);
        auto r = db::ping(foreign);
        if (r.ok) problems.push_back(fmt::format("{} can connect to {}", own->owner, other.name));
        else if (refused_by_privilege(r.detail)) refused.push_back(other.name);
        else problems.push_back(fmt::format("{} on {}: not refused by privilege but: {}", own->owner, other.name, r.detail));
    }
    if (!problems.empty()) return {false, fmt::format("{}", fmt::join(problems, "; "))};
    return {true, refused.empty() ? fmt::format("{} connects to {}", own->owner, database)
                                  : fmt::format("{} connects to {} and is refused by {}", own->owner, database,
                                                fmt::join(refused, ", "))};
}

}  // namespace

std::vector<Check> isolation_checks(std::shared_ptr<const SuiteInputs> in) {
    std::vector<Check> checks;
    const std::string service = orchestration::kMigratedService;
    if (std::find(in->services.begin(), in->services.end(), service) == in->services.end()) return checks;
    const auto reason = skip_reason(*in, service);
    for (const auto& name : in->settings->databases)
        checks.push_back({"migrations", service, "isolation " + name,
                          [in, name](Deadline deadline) { return isolation(*in->settings, name, deadline); }, reason});
    return checks;
}

}  // namespace envctl::verify
