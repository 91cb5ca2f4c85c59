#pragma once
// The aggressive migrator: every database to its latest migration; on drift, or on a failure in a database that
// already held migrations, the database is dropped, created and migrated from scratch (the reset is the rollback).
// A failure on a fresh database is reported (file, statement, server message, position) and not retried.

#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/migrations/apply.hpp"
#include "envctl/migrations/config.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::migrations {

struct DatabaseReport {
    std::string name;
    bool created = false;                   // did not exist before this run
    std::vector<std::string> reset_reasons; // why it was dropped and recreated (empty: it was not)
    int version = 0;                        // highest applied version after the run
    std::vector<std::string> applied;       // files applied by this run, in order
    std::optional<FileFailure> failure;
    bool compliant = false;
    bool unchanged = false;                 // compliant by its record (verified.hpp): nothing changed since the
                                            // last run that compared it object by object
    std::vector<std::string> differences;   // schema compliance
    std::string error;                      // any other failure (lock, connection, building its template)
    bool template_refreshed = false;        // D__template was rebuilt by this run (template.hpp)
    Duration elapsed{0};

    bool ok() const { return !failure && error.empty() && compliant; }
};

struct Report {
    std::vector<DatabaseReport> databases;
    Duration elapsed{0};
    bool ok() const;
};

// Runs every database of `config` within `deadline`. Throws envctl::Error: usage for bad files or names,
// migration when PostgreSQL cannot be reached, interrupted on SIGINT/SIGTERM. Failures of a database are in the
// report (ok() false: exit 6).
Report run(const Config& config, Deadline deadline);

// The API for `up`: config_from(settings), then run().
Report run_all(const settings::Settings& settings, Deadline deadline);

}  // namespace envctl::migrations
