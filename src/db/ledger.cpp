#include "envctl/db/ledger.hpp"

#include "envctl/util/hash.hpp"

namespace envctl::db {

bool ledger_exists(Session& session) {
    return !session.query("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE n.nspname = 'public' AND c.relname = $1 AND c.relkind = 'r'",
                          {kLedgerTable})
                .empty();
}

namespace {

const std::string kCreate = std::string("CREATE TABLE IF NOT EXISTS ") + kLedgerTable +
                            " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum CHAR(64) NOT NULL, "
                            "applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), duration_ms BIGINT NOT NULL)";
const std::string kSelect = std::string("SELECT version, name, checksum, ") +
                            "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
                            "duration_ms FROM " + kLedgerTable + " ORDER BY version";

std::vector<LedgerEntry> entries_of(const Rows& rows) {
    std::vector<LedgerEntry> entries;
    for (const auto& row : rows) {
        LedgerEntry entry;
        entry.version = std::stoi(row.at(0).value_or("0"));
        entry.name = row.at(1).value_or("");
        entry.checksum = row.at(2).value_or("");
        entry.applied_at = row.at(3).value_or("");
        entry.duration_ms = std::stoll(row.at(4).value_or("0"));
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace

void ensure_ledger(Session& session) { session.exec(kCreate); }

std::vector<LedgerEntry> ensure_and_read_ledger(Session& session) {
    return entries_of(session.query("SET synchronous_commit = off; " + kCreate + "; " + kSelect));
}

std::vector<LedgerEntry> read_ledger(Session& session) {
    if (!ledger_exists(session)) return {};
    return entries_of(session.query(kSelect));
}

std::string ledger_digest(const std::vector<LedgerEntry>& entries) {
    std::string text;
    for (const auto& e : entries) text += std::to_string(e.version) + " " + e.name + " " + e.checksum + "\n";
    return hash::sha256_hex(text);
}

std::string ledger_digest_sql() {
    return std::string("SELECT encode(sha256(convert_to(coalesce(string_agg(version || ' ' || name || ' ' || "
                       "checksum || E'\\n', '' ORDER BY version), ''), 'UTF8')), 'hex') FROM ") +
           kLedgerTable;
}

void record_migration_and_commit(Session& session, const LedgerEntry& entry) {
    session.exec(std::string("INSERT INTO ") + kLedgerTable + " (version, name, checksum, duration_ms) VALUES (" +
                 std::to_string(entry.version) + ", " + session.quote(entry.name) + ", " +
                 session.quote(entry.checksum) + ", " + std::to_string(entry.duration_ms) + "); COMMIT");
}

}  // namespace envctl::db
