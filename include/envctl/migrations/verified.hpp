#pragma once
// The record of a database last found migrated and compliant, so that an unchanged database is not compared object
// by object on every run: the no-op path of `migrate`, `up` and `status`.
//
// The record (one small JSON file per database in the cache folder) holds a key, the digest of everything the
// verdict depended on on envctl's side (server address, database, owner, the schema document's bytes, every
// migration file's name and checksum), and the database's catalog fingerprint (db::catalog_fingerprint) taken
// before the comparison that found it compliant. A later run whose key and fingerprint are both unchanged knows the
// same comparison would find the same; anything else (a file, the document, a DDL statement, a recreated database,
// a server restart) sends it down the full path.

#include <optional>
#include <string>
#include <vector>

#include "envctl/migrations/config.hpp"
#include "envctl/migrations/migration_files.hpp"

namespace envctl::migrations {

std::string verification_key(const Config& config, const DatabaseTarget& target,
                             const std::vector<MigrationFile>& files);

// The fingerprint recorded under `key`; nullopt when there is no cache folder, no record, or it was made under
// another key (or cannot be read).
std::optional<std::string> recorded_fingerprint(const Config& config, const DatabaseTarget& target,
                                                const std::string& key);

// Whether a record exists for the database at all (under whatever key): a quick check may be worth preparing.
bool has_record(const Config& config, const DatabaseTarget& target);

// Best effort: a record that cannot be written only costs the next run the full comparison.
void record_verified(const Config& config, const DatabaseTarget& target, const std::string& key,
                     const std::string& fingerprint);

// Forgets the record (a run that found the database not compliant, or changed it).
void forget_verified(const Config& config, const DatabaseTarget& target);

}  // namespace envctl::migrations
