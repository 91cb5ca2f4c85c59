#pragma once
// Applying one migration file: its own transaction, statement by statement, under statement and lock timeouts.

#include <optional>
#include <string>

#include "envctl/core/duration.hpp"
#include "envctl/db/session.hpp"
#include "envctl/migrations/migration_files.hpp"

namespace envctl::migrations {

struct FileFailure {
    std::string file;          // "0002_services.sql"
    std::string statement;     // the failing statement's text (empty for a file-level refusal)
    int line = 0;              // position in the file, 1-based (0: unknown)
    std::optional<int> column;
    std::string message;       // the server's message, or envctl's reason
    std::string sqlstate;
    bool timed_out = false;    // stopped because MIGRATION_TIMEOUT ran out
};

struct ApplyLimits {
    Deadline deadline;           // the whole run's: every statement's statement_timeout is what is left of it
    Duration lock_timeout;       // per file, capped by what is left
    Duration migration_timeout;  // MIGRATION_TIMEOUT, for messages
};

// Runs `file` in one transaction on `session` (logged in as, or SET ROLE to, the owner) and records it in the ledger in that
// same transaction. Returns the failure (after a ROLLBACK: the database keeps nothing of the file), or nullopt when
// committed. A file that creates an audit table, or holds transaction control (BEGIN, COMMIT...), is refused.
// Throws envctl::Error(interrupted) on SIGINT/SIGTERM, db::ConnectionError when the connection breaks.
std::optional<FileFailure> apply_file(db::Session& session, const MigrationFile& file, const ApplyLimits& limits);

// "0002_x.sql, line 5, column 12: ERROR:  ..." and the statement, for people.
std::string describe(const FileFailure& failure);

}  // namespace envctl::migrations
