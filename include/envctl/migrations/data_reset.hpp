#pragma once
// Data reset without containers: each database recreated from its template (template.hpp), its sessions ended.

#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/migrations/config.hpp"

namespace envctl::migrations {

struct DataReset {
    std::string name;
    std::string template_name;
    int version = 0;
    Duration elapsed{0};
};

// Every database of `config`, in order. Checks every template first and throws envctl::Error(migration), having
// changed nothing, when one is missing or not current (require_current_template says why); then all at once, each database in a session of
// its own under its migrate lock: drop (ending its sessions), copy of the template, isolated, and recorded as verified for the
// migrator's no-op path. Throws Error(migration) when PostgreSQL cannot be reached.
std::vector<DataReset> reset_data(const Config& config, Deadline deadline);

}  // namespace envctl::migrations
