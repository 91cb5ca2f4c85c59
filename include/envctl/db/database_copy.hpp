#pragma once
// Databases made as copies of templates, and the comments (COMMENT ON DATABASE) that carry envctl's metadata about
// them on the server itself: the migrator's templates and the leases made from them.

#include <string>
#include <vector>

#include "envctl/db/session.hpp"

namespace envctl::db {

// An SQL expression writing `expr` (a timestamptz) as "2026-11-27T15:00:00.123Z": UTC and fixed width, so two of
// them compare as text.
std::string utc_timestamp_sql(const std::string& expr);

// CREATE DATABASE `name` as a copy of `source` (a template nobody is connected to), owned by `owner`. It becomes
// connectable only once it is isolated (PUBLIC holds no privilege) and carries `comment`, all in one transaction
// after the copy: no one but the owner and superusers can ever connect to it. Throws SqlError (42P04: the name is
// taken; 3D000: no such template). `connectable` false: it stays closed to everyone (a spare, spares.hpp).
void copy_database(Session& admin, const std::string& name, const std::string& source, const std::string& owner,
                   const std::string& comment, bool connectable = true);

struct CommentedDatabase {
    std::string name;
    std::string comment;
};
struct CommentedDatabases {
    std::string now;  // the server's time, as utc_timestamp_sql writes it
    std::vector<CommentedDatabase> databases;
};
// Every database whose comment starts with `prefix` (by name), and the server's time, in one round trip. Works on
// any connection: pg_database is shared by the whole cluster.
CommentedDatabases databases_commented(Session& session, const std::string& prefix);

// The comment of `name` when it is a template nobody can connect to; empty when it is not (or has no comment).
std::string template_comment(Session& session, const std::string& name);

// Drops a database that may be a template (IS_TEMPLATE false first), ending its sessions. Missing: nothing to do.
void drop_template(Session& admin, const std::string& name);

}  // namespace envctl::db
