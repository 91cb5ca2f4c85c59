#pragma once
// The one document `--json` promises when a command ends before writing its own: settings, lock, preflight, a
// usage error, an interrupt. {"schema": "envctl.<command>/v1", "exit_code", "message"}, plus "ready": false for
// the status-shaped documents (up, reset, status, wait-ready), so a reader of "ready" needs no special case.

#include <string>

#include <CLI/CLI.hpp>

#include "envctl/core/exit_code.hpp"

namespace envctl::cli {

std::string json_failure_document(const std::string& schema, ExitCode code, const std::string& message);

// After a command-line parse error: the schema of the subcommand parsed so far when it takes --json and the
// arguments ask for it; empty otherwise.
std::string json_schema_after_parse_error(const CLI::App& app, int argc, const char* const* argv);

}  // namespace envctl::cli
