#include "envctl/migrations/apply.hpp"

#include <set>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/db/catalog.hpp"
#include "envctl/db/ledger.hpp"
#include "envctl/migrations/sql_script.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

// Rolls the file's transaction back unless it was committed.
struct Transaction {
    db::Session& session;
    bool done = false;
    explicit Transaction(db::Session& s) : session(s) { session.exec("BEGIN"); }
    ~Transaction() {
        if (done) return;
        try {
            session.exec("ROLLBACK");
        } catch (const std::exception& e) {
            log::debug("ROLLBACK failed: {}", e.what());
        }
    }
};

FileFailure timed_out(const MigrationFile& file, const Statement* statement, const ApplyLimits& limits,
                      const std::string& server_message) {
    FileFailure f;
    f.file = file.name;
    if (statement) {
        f.statement = statement->text;
        f.line = statement->line;
        f.column = statement->column;
    }
    f.timed_out = true;
    f.sqlstate = "57014";
    f.message = fmt::format("stopped: MIGRATION_TIMEOUT ({}) ran out{}", format_duration(limits.migration_timeout),
                            server_message.empty() ? "" : " (" + server_message + ")");
    return f;
}

FileFailure from_error(const MigrationFile& file, const Statement& statement, const db::SqlError& e) {
    FileFailure f;
    f.file = file.name;
    f.statement = statement.text;
    f.message = e.error().message;
    f.sqlstate = e.error().sqlstate;
    const auto& at = e.error();
    f.line = statement.line + (at.line ? *at.line - 1 : 0);
    if (at.column) f.column = (!at.line || *at.line == 1) ? statement.column + *at.column - 1 : *at.column;
    else if (!at.line) f.column = statement.column;
    return f;
}

}  // namespace

std::optional<FileFailure> apply_file(db::Session& session, const MigrationFile& file, const ApplyLimits& limits) {
    static const std::set<std::string> transaction_control{"begin", "commit", "rollback", "start", "end", "abort"};
    const auto started = Clock::now();
    const auto statements = split_statements(file.content);
    for (const auto& statement : statements) {
        if (transaction_control.count(first_word(statement)))
            return FileFailure{file.name, statement.text, statement.line, statement.column,
                               "transaction control is envctl's job (each file runs in its own transaction): "
                               "remove this statement",
                               "", false};
    }
    if (remaining(limits.deadline).count() <= 0) return timed_out(file, nullptr, limits, "");

    Transaction tx(session);
    session.exec(fmt::format("SET LOCAL lock_timeout = {}",
                             std::max<long long>(1, std::min(limits.lock_timeout, remaining(limits.deadline)).count())));
    for (const auto& statement : statements) {
        const auto left = remaining(limits.deadline);
        if (left.count() <= 0) return timed_out(file, &statement, limits, "");
        session.exec(fmt::format("SET LOCAL statement_timeout = {}", left.count()));
        try {
            session.exec(statement.text);
        } catch (const db::SqlError& e) {
            if (interrupt::requested()) throw Error(ExitCode::interrupted, "interrupted while applying " + file.name);
            if (e.cancelled() && remaining(limits.deadline) < std::chrono::milliseconds(200))
                return timed_out(file, &statement, limits, e.error().message);
            return from_error(file, statement, e);
        }
    }

    if (auto audit = db::audit_tables(session); !audit.empty()) {
        std::string names;
        for (const auto& name : audit) names += (names.empty() ? "" : ", ") + name;
        return FileFailure{file.name, "", 0, std::nullopt,
                           "refused: it creates the audit table(s) " + names +
                               "; audit events belong in Loki, not in PostgreSQL",
                           "", false};
    }

    db::LedgerEntry entry;
    entry.version = file.version;
    entry.name = file.name;
    entry.checksum = file.checksum;
    entry.duration_ms = std::chrono::duration_cast<Duration>(Clock::now() - started).count();
    db::record_migration(session, entry);
    try {
        session.exec("COMMIT");
    } catch (const db::SqlError& e) {  // deferred constraints are checked here
        return FileFailure{file.name, "COMMIT", 0, std::nullopt, e.error().message, e.error().sqlstate, false};
    }
    tx.done = true;
    return std::nullopt;
}

std::string describe(const FileFailure& f) {
    std::string where = f.file;
    if (f.line > 0) where += fmt::format(", line {}", f.line);
    if (f.line > 0 && f.column) where += fmt::format(", column {}", *f.column);
    std::string text = where + ": " + f.message;
    if (!f.statement.empty()) {
        std::string statement = f.statement;
        if (statement.size() > 2000) statement = statement.substr(0, 2000) + " ...";
        text += "\n  statement: " + statement;
    }
    return text;
}

}  // namespace envctl::migrations
