// The migrations category: each database of POSTGRES_MULTIPLE_DATABASES at the latest version, without drift and
// compliant with its schema document (which also means: no audit table). Reads only (migrations::status).
#include <iterator>

#include <fmt/format.h>

#include "envctl/orchestration/up.hpp"
#include "envctl/verify/suite.hpp"

namespace envctl::verify {
namespace {

Outcome judge(const migrations::DatabaseStatus& db) {
    if (!db.detail.empty()) return {false, db.detail};
    if (db.ready()) return {true, fmt::format("version {}, no pending migration, no drift, compliant", db.version)};
    std::vector<std::string> why;
    if (!db.pending.empty()) why.push_back(fmt::format("{} pending: {}", db.pending.size(), fmt::join(db.pending, ", ")));
    if (!db.drift.empty()) why.push_back("drift: " + fmt::format("{}", fmt::join(db.drift, "; ")));
    if (!db.compliant) why.push_back("not compliant: " + fmt::format("{}", fmt::join(db.differences, "; ")));
    return {false, fmt::format("version {}: {}", db.version, fmt::join(why, "; "))};
}

}  // namespace

std::vector<Check> migration_checks(std::shared_ptr<const SuiteInputs> in) {
    std::vector<Check> checks;
    const std::string service = orchestration::kMigratedService;
    bool listed = false;
    for (const auto& s : in->services) listed = listed || s == service;
    if (!listed || in->settings->databases.empty()) return checks;
    auto states = std::make_shared<Shared<std::vector<migrations::DatabaseStatus>>>([in](Deadline) {
        if (!in->databases) return std::vector<migrations::DatabaseStatus>{};
        return in->databases();
    });
    const auto reason = skip_reason(*in, service);
    for (const auto& name : in->settings->databases)
        checks.push_back({"migrations", service, "database " + name, [name, states](Deadline deadline) {
                              for (const auto& db : states->get(deadline))
                                  if (db.name == name) return judge(db);
                              return Outcome{false, "no migration state for " + name};
                          },
                          reason});
    auto isolation = isolation_checks(in);
    std::move(isolation.begin(), isolation.end(), std::back_inserter(checks));
    return checks;
}

}  // namespace envctl::verify
