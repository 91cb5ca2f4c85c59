#pragma once
// The last verify result of a project (`verify`, `up --verify`, `wait-ready --verify`), kept in .envctl/verify.json
// (0600; beside state.json, not in it: verify takes no project lock) for `status` to show with its age.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/core/exit_code.hpp"
#include "envctl/verify/check.hpp"

namespace envctl::verify {

struct LastResult {
    std::int64_t at_ms = 0;  // when it ended (unix epoch ms)
    std::string command;     // "verify", "up --verify", "wait-ready --verify"
    bool passed = false;
    int exit_code = 0;
    int pass = 0, fail = 0, skipped = 0, timeout = 0;
    std::vector<std::string> failing;  // "category service name: detail" of each failed or timed-out check (redacted)
};

LastResult summarize(const Report& report, ExitCode code, const std::string& command, std::int64_t at_ms);
void record(const std::filesystem::path& state_dir, const LastResult& result);
// nullopt when there is none or it cannot be read.
std::optional<LastResult> read_last(const std::filesystem::path& state_dir);

// "last verify: passed 3m ago (12 pass, 2 skipped)" / "last verify: FAILED 40s ago (1 fail: ...)".
std::string describe(const LastResult& result, std::int64_t now_ms);
// {"at_ms", "age_ms", "command", "passed", "exit_code", "pass", "fail", "skipped", "timeout", "failing"}
nlohmann::json to_json(const LastResult& result, std::int64_t now_ms);

}  // namespace envctl::verify
