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
// Creates the ledger when missing and reads it, in one round trip. Also turns synchronous_commit off for the
// session: a file then commits without waiting for its WAL flush, so a crash can lose only whole, most recent files
// (schema and ledger row together), which the next run applies again.
std::vector<LedgerEntry> ensure_and_read_ledger(Session& session);
// Ordered by version; empty when the ledger does not exist.
std::vector<LedgerEntry> read_ledger(Session& session);
// The ledger's digest: SHA-256 (hex) of one "<version> <name> <checksum>\n" line per entry, in version order.
// ledger_digest_sql() is an expression computing it on the server over the ledger's rows, so comparing the two
// tells whether the ledger holds exactly these entries without reading it.
std::string ledger_digest(const std::vector<LedgerEntry>& entries);
std::string ledger_digest_sql();

// Inserts the entry (applied_at = now()) and commits the caller's transaction, in one round trip.
void record_migration_and_commit(Session& session, const LedgerEntry& entry);

}  // namespace envctl::db
