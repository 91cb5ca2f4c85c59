#pragma once
// `envctl db reset` as a function, for `envctl reset --data` too.

#include <string>
#include <vector>

#include "envctl/cli/context.hpp"

namespace envctl::cli {

// Recreates every database of POSTGRES_MULTIPLE_DATABASES (or the named ones) from its template, under the project
// lock. Exit 6 (nothing changed) when a template is missing or not current.
ExitCode run_db_reset(Context& ctx, const std::vector<std::string>& databases);

}  // namespace envctl::cli
