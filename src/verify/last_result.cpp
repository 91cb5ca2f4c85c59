#include "envctl/verify/last_result.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "envctl/core/duration.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::verify {
namespace {

constexpr const char* kFile = "verify.json";

}  // namespace

LastResult summarize(const Report& report, ExitCode code, const std::string& command, std::int64_t at_ms) {
    LastResult r;
    r.at_ms = at_ms;
    r.command = command;
    r.passed = report.passed();
    r.exit_code = to_int(code);
    for (const auto& c : report.checks) {
        switch (c.status) {
            case Status::pass: ++r.pass; break;
            case Status::fail: ++r.fail; break;
            case Status::skipped: ++r.skipped; break;
            case Status::timeout: ++r.timeout; break;
        }
        if (c.status == Status::fail || c.status == Status::timeout)
            r.failing.push_back(Redactor::global().redact(
                fmt::format("{} {} {} ({}): {}", c.category, c.service, c.name, to_string(c.status), c.detail)));
    }
    return r;
}

nlohmann::json to_json(const LastResult& r, std::int64_t now_ms) {
    return {{"at_ms", r.at_ms},       {"age_ms", std::max<std::int64_t>(0, now_ms - r.at_ms)},
            {"command", r.command},   {"passed", r.passed},
            {"exit_code", r.exit_code}, {"pass", r.pass},
            {"fail", r.fail},         {"skipped", r.skipped},
            {"timeout", r.timeout},   {"failing", r.failing}};
}

void record(const std::filesystem::path& state_dir, const LastResult& result) {
    auto doc = to_json(result, result.at_ms);
    doc.erase("age_ms");
    files::write_private(state_dir / kFile, doc.dump(2) + "\n");
}

std::optional<LastResult> read_last(const std::filesystem::path& state_dir) {
    std::error_code ec;
    if (!std::filesystem::exists(state_dir / kFile, ec)) return std::nullopt;
    try {
        const auto j = nlohmann::json::parse(files::read(state_dir / kFile));
        LastResult r;
        r.at_ms = j.at("at_ms").get<std::int64_t>();
        r.command = j.value("command", "verify");
        r.passed = j.at("passed").get<bool>();
        r.exit_code = j.value("exit_code", 0);
        r.pass = j.value("pass", 0);
        r.fail = j.value("fail", 0);
        r.skipped = j.value("skipped", 0);
        r.timeout = j.value("timeout", 0);
        r.failing = j.value("failing", std::vector<std::string>{});
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string describe(const LastResult& r, std::int64_t now_ms) {
    const auto age = format_duration(Duration{std::max<std::int64_t>(0, now_ms - r.at_ms) / 1000 * 1000});
    std::vector<std::string> counts;
    if (r.pass) counts.push_back(fmt::format("{} pass", r.pass));
    if (r.fail) counts.push_back(fmt::format("{} fail", r.fail));
    if (r.timeout) counts.push_back(fmt::format("{} timeout", r.timeout));
    if (r.skipped) counts.push_back(fmt::format("{} skipped", r.skipped));
    std::string text = fmt::format("last verify ({}): {} {} ago ({})", r.command, r.passed ? "passed" : "FAILED", age,
                                   fmt::join(counts, ", "));
    for (const auto& f : r.failing) text += "\n  " + f;
    return text;
}

}  // namespace envctl::verify
