#pragma once
// JSON shapes of the migration state (the contract's "databases" entries).

#include <nlohmann/json.hpp>

#include "envctl/migrations/runner.hpp"
#include "envctl/migrations/status.hpp"

namespace envctl::migrations {

// {"name", "version", "pending": [files], "drift": [sentences], "compliant"}: the contract's entry; with
// `detailed`, also "differences" and "detail" (migrate status --json).
nlohmann::json to_json(const DatabaseStatus& status, bool detailed = false);

// {"schema": "envctl.migrate-status/v1", "databases": [...], "ok"}.
nlohmann::json status_document(const std::vector<DatabaseStatus>& statuses);

}  // namespace envctl::migrations
