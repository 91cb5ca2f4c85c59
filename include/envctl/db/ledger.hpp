#pragma once
// The migration ledger: the table schema_migrations in each migrated database.

#include <cstdint>
#include <string>
#include <vector>

#include "envctl/db/session.hpp"

namespace envctl::db {

inline constexpr const char* kLedgerTable = "schema_migrations";

struct LedgerEntry {
    int version = 0;
    std::string name;        // file name, "0001_services.sql"
    std::string checksum;    // SHA-256 of the file, lower-case hex
    std::string applied_at;  // ISO 8601, from the server
    std::int64_t duration_ms = 0;
};

bool ledger_exists(Session& session);
void ensure_ledger(Session& session);
// Ordered by version; empty when the ledger does not exist.
std::vector<LedgerEntry> read_ledger(Session& session);
// Inserts the entry (applied_at = now()), inside the caller's transaction.
void record_migration(Session& session, const LedgerEntry& entry);

}  // namespace envctl::db
