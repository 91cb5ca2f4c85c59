#pragma once
// A service's own verify checks, declared in its descriptor (`verify:`) and read by the one descriptor parser: each
// check is a category, a name, steps run in order and cleanup steps run afterwards whatever happened (with their own
// short deadline). Text fields may reference variables as ${VAR}: the settings' variables, ${VERIFY_ID} (a fresh
// `envctl-verify-<random>` per run of the check; the other values of the run are in verify_run_values(), steps.hpp)
// and values captured by earlier http steps. Secrets come only from variables (validated here), so the redactor
// knows them.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::descriptors {

enum class StepKind { http, sql, redis, connect, command, amqp, azure_blob, cosmos };
std::string to_string(StepKind k);

struct VerifyStep {
    StepKind kind = StepKind::http;
    int line = 0;  // where the step is declared (for messages)
    // Any kind: repeat the step (every 250 ms) until it passes, for at most this long (0: once). For stores that
    // make what was written readable a moment later (traces, profiles).
    Duration retry_for{0};
    // http, sql, redis: the published port (one of the service's port variables); default its first tcp port.
    std::string port_variable;

    // http
    bool https = false;
    std::string method = "GET";
    std::string path = "/";
    std::vector<std::pair<std::string, std::string>> query;  // appended to the path, each value URL-encoded
    // Basic authentication: the user (text, ${VAR} allowed) and the variable holding the password.
    std::string basic_user;
    std::string basic_password_variable;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type = "application/json";
    std::vector<int> expect_status{200};
    std::vector<std::pair<std::string, std::string>> expect_json;  // JSON pointer -> expected value (as text)
    std::vector<std::pair<std::string, std::string>> expect_json_match;  // JSON pointer -> regex found in the value
    std::vector<std::pair<std::string, std::string>> capture;      // variable -> JSON pointer of the response

    // sql: connect as `user` (text, ${VAR} allowed) with the password of `password_variable` to `database`.
    std::string user;
    std::string password_variable;
    std::string database;
    std::string statement;
    std::optional<std::vector<std::vector<std::string>>> expect_rows;  // NULL is written "~" (YAML's null)
    std::string expect_sqlstate;                                       // the statement must fail with it

    // redis: argv, and the reply rendered as text (simple/bulk string as is, integer as digits, nil as "(nil)",
    // an error as its message).
    std::vector<std::string> command;  // also `command` steps: argv run in the service's container
    std::optional<std::string> expect_reply;

    // connect: from the host to the published `port_variable`; else from inside the project network to `service`
    // (default: the check's) on container `port` (default: each of its tcp ports).
    std::string service;
    int port = 0;

    // command
    int expect_exit = 0;
    std::string expect_output;  // must appear in stdout+stderr when not empty

    // amqp (verify/amqp_client.hpp): a message ${VERIFY_ID} sent to `queue` on the published port, received back and
    // settled; authorized with the SAS key name (text, ${VAR} allowed) and the key of `key_variable` (a secret), by
    // `auth` cbs (SASL ANONYMOUS + a SAS token on $cbs, as the Service Bus SDKs do) or plain (SASL PLAIN).
    std::string queue;
    std::string key_name;
    std::string key_variable;
    std::string auth = "cbs";

    // azure_blob (Azurite, Shared Key) and cosmos (Cosmos DB, master key token), both on the published port:
    // `action` round_trip creates the blob container `container` / the database `database` (${VERIFY_ID}) and runs
    // the whole round trip in it, deleting what it made; create only creates it (for checks that go on with other
    // steps); delete removes it and what it holds (a cleanup step: absent is fine). The key is the Base64 value of
    // `key_variable` (a secret, the field amqp steps use too).
    std::string action;
    std::string container;
    std::string account = "devstoreaccount1";
};

struct VerifyCheck {
    std::string category;  // environment, migrations, dapr, azure, security, observability
    std::string name;
    std::vector<VerifyStep> steps;
    std::vector<VerifyStep> cleanup;
};

// The categories `verify:` checks may name.
const std::vector<std::string>& verify_categories();

// service -> the checks its descriptor declares. Kept beside the Stack (not in ServiceDescriptor: nothing but verify
// reads them), from the same documents by the same parser: load_stack validates them too.
using DeclaredChecks = std::map<std::string, std::vector<VerifyCheck>>;
// The built-in stack's, or merged with a stack file's as load_stack merges services (a file's service replaces the
// built-in one, checks included; `mode: replace` keeps only the file's).
DeclaredChecks load_verify_checks(const std::optional<std::filesystem::path>& stack_file);
// One stack document's (for tests). Throws envctl::Error(usage) as parse_stack does.
DeclaredChecks parse_verify_checks(std::string_view yaml, const std::string& source_name);

}  // namespace envctl::descriptors
