#pragma once
// Comparing a database's ledger with the files on disk: what is pending, and what has drifted.

#include <string>
#include <vector>

#include "envctl/db/ledger.hpp"
#include "envctl/migrations/migration_files.hpp"

namespace envctl::migrations {

struct Plan {
    int version = 0;                     // highest applied version (0: none)
    std::vector<MigrationFile> pending;  // files not applied, in order
    // Drift, one sentence each: an applied file whose checksum (or name) changed, an applied file missing on disk,
    // a new file numbered below the highest applied version.
    std::vector<std::string> drift;
};

Plan make_plan(const std::vector<db::LedgerEntry>& applied, const std::vector<MigrationFile>& files);

}  // namespace envctl::migrations
