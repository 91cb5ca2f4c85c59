#pragma once
// One check of `envctl verify`: a category, the service it is about, what it checks, and a function that checks it
// by a deadline. Built-in checks and (later) descriptor `verify:` steps produce the same struct.

#include <functional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::verify {

enum class Status { pass, fail, skipped, timeout };
std::string to_string(Status s);

// What a check's function returns: passed or failed, and why (what was seen).
struct Outcome {
    bool ok = false;
    std::string detail;
    bool timed_out = false;  // failed because its deadline passed (reported `timeout`, not `fail`)
};

struct Check {
    std::string category;  // environment, migrations, ...
    std::string service;
    std::string name;      // ready, port POSTGRES_PORT, connect, database services_db, ...
    std::function<Outcome(Deadline)> run;
    // Not empty: the check does not run and is reported `skipped` with this reason ("not selected", "container
    // exited (exit code 137)").
    std::string skip_reason;
};

struct CheckResult {
    std::string category;
    std::string service;
    std::string name;
    Status status = Status::skipped;
    Duration duration{0};
    std::string detail;
};

struct CategoryResult {
    std::string name;
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    int timeout = 0;
    Duration duration{0};
};

struct Report {
    std::string project;
    std::vector<CheckResult> checks;       // in the order the checks were given
    std::vector<CategoryResult> categories;  // in order of first appearance
    // Every check passed or was skipped.
    bool passed() const;
};

}  // namespace envctl::verify
