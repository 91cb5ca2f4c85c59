#pragma once
// The migrator's templates: after a database D is migrated and found compliant, `D__template` is built from the
// migrations (never copied from D, which applications may be using) in a database of its own, checked against the
// schema document, and swapped in: not connectable, IS_TEMPLATE, owned by D's owner. Its comment on the server
// records what it was built from, so leases, `db reset` and `status` can tell whether it is current.

#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/db/session.hpp"
#include "envctl/migrations/config.hpp"
#include "envctl/migrations/migration_files.hpp"
#include "envctl/migrations/status.hpp"

namespace envctl::migrations {

// "services_db" -> "services_db__template". Throws envctl::Error(usage) when that is longer than 63 bytes.
std::string template_name(const std::string& database);

// The advisory lock a template swap holds exclusively and a copy of the template (a lease, a data reset) shared.
std::string template_lock_name(const std::string& database);

// What a template's comment says ("envctl.template/v1 {json}").
struct TemplateRecord {
    std::string source;           // D
    int version = 0;              // highest migration applied
    std::string ledger_digest;    // db::ledger_digest of its ledger
    std::string document_sha256;  // of the schema document it was checked against ("none": there was none)
    std::string built_at;         // server time
    bool operator==(const TemplateRecord&) const = default;
};
std::string to_comment(const TemplateRecord& record);
std::optional<TemplateRecord> parse_template_comment(const std::string& comment);

// The template of `database` on the server: nullopt when there is none (or it is not one envctl made).
std::optional<TemplateRecord> read_template(db::Session& session, const std::string& database);

// What a current template's record holds for these files and the schema document on disk.
TemplateRecord expected_record(const Config& config, const DatabaseTarget& target, const std::vector<MigrationFile>& files);

// Why `found` is not the template of these files and document ("built from version 3; the migrations are at 4");
// nullopt when it is current.
std::optional<std::string> template_stale(const TemplateRecord& found, const TemplateRecord& expected);

// Builds the template from `files` as the owner, checks it against `expected` and swaps it in (the old one, if any,
// dropped). The caller holds the database's migrate lock. Returns why it failed (the old template is then kept), or
// an empty string.
std::string refresh_template(db::Session& admin, const Config& config, const DatabaseTarget& target,
                             const std::vector<MigrationFile>& files, const ExpectedSchema& expected, Deadline deadline);

}  // namespace envctl::migrations
