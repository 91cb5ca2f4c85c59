#pragma once
// Each database's migration state, read without changing it (compliance may build a scratch database, unless
// asked to use the cached catalog only: what `status` and `wait-ready`, which change nothing, do).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/db/catalog.hpp"
#include "envctl/db/session.hpp"
#include "envctl/migrations/config.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::migrations {

// One entry of the contract's "databases" array (status, wait-ready, migrate status).
struct DatabaseStatus {
    std::string name;
    int version = 0;                       // highest applied version (0: none, or no database)
    std::vector<std::string> pending;      // files not applied yet
    std::vector<std::string> drift;        // see drift.hpp
    bool compliant = false;                // the schema matches its document, and no audit table
    std::vector<std::string> differences;  // why not compliant
    std::string detail;                    // "database does not exist", "cannot connect ..."
    // D__template (template.hpp): its version, and whether its ledger is D's. nullopt: there is none.
    struct Template {
        std::string name;
        int version = 0;
        bool matches = false;
    };
    std::optional<Template> template_db;

    // "Migrated and compliant": what postgresql's readiness counts.
    bool ready() const { return pending.empty() && drift.empty() && compliant && detail.empty(); }
};

// Where the schema document's catalog may come from: built in a scratch database when not cached (and then
// cached), or the cache only (nothing created, nothing written; without a cached catalog compliance is unknown).
enum class CatalogSource { build_if_not_cached, cache_only };

// What a database's schema document says it must be: the document's catalog, or why there is none (no document,
// a block that does not apply, not cached under cache_only). Builds a scratch database on `admin`'s server unless
// the catalog is cached or `source` is cache_only.
struct ExpectedSchema {
    std::filesystem::path document;
    std::optional<db::Catalog> catalog;
    std::vector<std::string> problems;
    bool unknown = false;  // cache_only and nothing cached: not checked
};
ExpectedSchema expected_schema(db::Session& admin, const Config& config, const DatabaseTarget& target,
                               Deadline deadline, CatalogSource source = CatalogSource::build_if_not_cached);

// Schema compliance of one database (`live` is connected to it): every difference between its catalog and the
// expected one, the expected schema's problems, an audit table anywhere. Empty: compliant.
std::vector<std::string> compliance_differences(const ExpectedSchema& expected, db::Session& live);

// Never throws for the database's state (an unreachable server is a `detail`); throws envctl::Error(usage) for bad
// settings or files, interrupted on SIGINT/SIGTERM.
std::vector<DatabaseStatus> status(const Config& config, Deadline deadline,
                                   CatalogSource source = CatalogSource::build_if_not_cached);
// For `status` and `wait-ready`: cache_only, so they create no database and write no file.
std::vector<DatabaseStatus> status(const settings::Settings& settings);

}  // namespace envctl::migrations
