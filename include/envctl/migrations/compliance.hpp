#pragma once
// Schema compliance: a database's catalog against the catalog its schema document builds in a scratch database.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/db/catalog.hpp"
#include "envctl/db/session.hpp"

namespace envctl::migrations {

// True for a table name matching (^|_)audit(_|$), case-insensitively: audit events belong in Loki.
bool is_audit_table(const std::string& name);

// Every difference, one sentence each ("missing column services.title (...)"); empty when they match.
std::vector<std::string> compare_catalogs(const db::Catalog& expected, const db::Catalog& actual);

// The catalog that `document` builds: its sql blocks applied, as `owner`, to a scratch database created and dropped
// on `admin`'s cluster (under an advisory lock). When `cache_dir` is set, the catalog is kept there as JSON, keyed by
// the document's bytes and the server version, so an unchanged document is not rebuilt. Throws
// envctl::Error(migration) naming the document and line when a block fails.
db::Catalog expected_catalog(db::Session& admin, const std::string& database, const std::string& owner,
                             const std::filesystem::path& document,
                             const std::optional<std::filesystem::path>& cache_dir, Deadline deadline);

// The cached catalog of `document` on `admin`'s server version, when `cache_dir` holds one.
std::optional<db::Catalog> cached_catalog(db::Session& admin, const std::filesystem::path& document,
                                          const std::optional<std::filesystem::path>& cache_dir);

// Catalog <-> JSON (the cache's format).
std::string catalog_to_json(const db::Catalog& catalog);
db::Catalog catalog_from_json(const std::string& json);

}  // namespace envctl::migrations
