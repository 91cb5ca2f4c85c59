#pragma once
// What a schema consists of, read from PostgreSQL's catalogs: the comparison unit of schema compliance.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "envctl/db/session.hpp"

namespace envctl::db {

struct Column {
    std::string type;                    // format_type(): "character varying(255)"
    bool not_null = false;
    std::optional<std::string> default_expr;  // pg_get_expr(): "'draft'::character varying"; identity/generated too
    bool operator==(const Column&) const = default;
};

struct Catalog {
    std::set<std::string> tables;                   // "services"
    std::map<std::string, Column> columns;          // "services.title"
    std::map<std::string, std::string> constraints; // "services.services_pkey" -> "PRIMARY KEY (service_id)"
    std::map<std::string, std::string> indexes;     // "services.idx_services_slug" -> pg_get_indexdef()
    std::map<std::string, std::string> triggers;    // "services.trg" -> pg_get_triggerdef()
    std::map<std::string, std::string> functions;   // "f(integer)" -> pg_get_functiondef()
    bool operator==(const Catalog&) const = default;
};

// Reads every table, column, constraint, index, trigger and function of `schema`, leaving out `ignored_tables`
// and everything that belongs to them.
Catalog read_catalog(Session& session, const std::set<std::string>& ignored_tables, const std::string& schema = "public");

// A digest of every catalog row that makes up the user schemas of the connected database (row counts and
// transaction ids per catalog: any CREATE, ALTER or DROP changes them), of the database's own row and of the
// server's start time. Equal fingerprints mean no schema object changed in between; a restart or a recreated
// database changes it too. Cheap (nothing is deparsed): the test of the migrator's no-op path.
std::string catalog_fingerprint(Session& session);

// What the migrator's no-op path needs, in one round trip: whether the database is isolated (PUBLIC holds no
// privilege on it: only its owner and superusers may connect), the digest of its
// ledger (ledger_digest() of its rows) and its catalog fingerprint. Throws SqlError when there is no ledger.
struct QuickState {
    bool isolated = false;
    std::string ledger_digest;
    std::string fingerprint;
};
QuickState quick_state(Session& session);

// Tables (and views) in any user schema whose name matches (^|_)audit(_|$), case-insensitively: "schema.table".
std::vector<std::string> audit_tables(Session& session);

}  // namespace envctl::db
