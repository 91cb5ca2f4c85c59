#include "envctl/migrations/apply.hpp"

#include <algorithm>
#include <cctype>
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
    // One round trip: BEGIN and the file's timeouts (the first statement's statement_timeout included).
    Transaction(db::Session& s, Duration lock_timeout, Duration statement_timeout) : session(s) {
        session.exec(fmt::format("BEGIN; SET LOCAL lock_timeout = {}; SET LOCAL statement_timeout = {}",
                                 std::max<long long>(1, lock_timeout.count()),
                                 std::max<long long>(1, statement_timeout.count())));
    }
    ~Transaction() {
        if (done) return;
        try {
            session.exec("ROLLBACK");
        } catch (const std::exception& e) {
            log::debug("ROLLBACK failed: {}", e.what());
        }
    }
};

bool mentions_audit(const std::string& text) {
    std::string lower(text.size(), ' ');
    std::transform(text.begin(), text.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("audit") != std::string::npos;
}

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

    Transaction tx(session, std::min(limits.lock_timeout, remaining(limits.deadline)), remaining(limits.deadline));
    bool first = true;
    for (const auto& statement : statements) {
        const auto left = remaining(limits.deadline);
        if (left.count() <= 0) return timed_out(file, &statement, limits, "");
        if (!first) session.exec(fmt::format("SET LOCAL statement_timeout = {}", left.count()));
        first = false;
        try {
            session.exec(statement.text);
        } catch (const db::SqlError& e) {
            if (interrupt::requested()) throw Error(ExitCode::interrupted, "interrupted while applying " + file.name);
            if (e.cancelled() && remaining(limits.deadline) < std::chrono::milliseconds(200))
                return timed_out(file, &statement, limits, e.error().message);
            return from_error(file, statement, e);
        }
    }

    // Only a file that mentions "audit" can name such a table (the compliance check after the run looks at every
    // table anyway, so nothing slips through).
    if (auto audit = mentions_audit(file.content) ? db::audit_tables(session) : std::vector<std::string>{};
        !audit.empty()) {
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
    try {
        db::record_migration_and_commit(session, entry);
    } catch (const db::SqlError& e) {  // deferred constraints are checked at COMMIT
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
