#pragma once
// Spare databases: per migrated database D, up to Config::spares (ENVCTL_DB_SPARES) copies of D__template made ahead
// of time, `D__spare_<random>`: owned by D's owner, PUBLIC revoked, not connectable, commented
// "envctl.spare/v1 <the template's own comment>" so a spare of an older template is recognisably stale. Copying a
// template costs PostgreSQL 15 a checkpoint (seconds for 16 at once); renaming a database costs a millisecond, so a
// lease takes a spare when there is one (take_spare) and copies the template only when there is none. The migrator
// fills them after refreshing the template and `db release` refills them: a job's teardown pays for the next
// job's lease. Spares are not leases: list_leases never shows them, `db release --all` keeps them.

#include <optional>
#include <string>
#include <vector>

#include "envctl/db/session.hpp"
#include "envctl/migrations/config.hpp"
#include "envctl/migrations/template.hpp"

namespace envctl::migrations {

// The comment of a spare of the template recorded as `record`, and back (nullopt: not a spare's comment).
std::string spare_comment(const TemplateRecord& record);
std::optional<TemplateRecord> parse_spare_comment(const std::string& comment);

// The spares of `target` on the server, by name; `current`: copies of the template there is now.
struct Spare {
    std::string name;
    bool current = false;
};
std::vector<Spare> list_spares(db::Session& session, const DatabaseTarget& target);

// Turns one current spare of `target` into the lease `name` in one transaction (the spare's advisory lock taken
// without waiting, so concurrent takers never get the same spare; renamed, commented `comment`, made connectable),
// trying the next spare when one fails. The caller holds the template's lock shared (template_lock_name), so the
// template cannot change meanwhile. Returns whether `name` was made so; false: no spare was left (copy the
// template). Throws envctl::Error(usage) when `name` is taken, and rethrows a cancelled statement.
bool take_spare(db::Session& admin, const DatabaseTarget& target, const std::string& name, const std::string& comment);

// Drops `target`'s stale spares and those beyond Config::spares, and makes the missing ones, all at once, each in a
// session of its own under MIGRATION_TIMEOUT. One filler per database at a time: with `wait` false, a fill already
// running makes this one do nothing. Best effort: a failure is logged (the lease then copies), never thrown.
struct SpareFill {
    int kept = 0;
    int made = 0;
    int dropped = 0;
    int failed = 0;
};
SpareFill fill_spares(const Config& config, const DatabaseTarget& target, bool wait);
// fill_spares of each of `targets` at once (they share PostgreSQL's checkpoints).
void fill_spares(const Config& config, const std::vector<DatabaseTarget>& targets, bool wait);

}  // namespace envctl::migrations
