#include "envctl/orchestration/failure_report.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/util/files.hpp"
#include "envctl/util/redact_json.hpp"

namespace envctl::orchestration {
namespace {

std::string utc_stamp() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
    return fmt::format("{}.{:03d}Z", buf, ms);
}

nlohmann::json to_json(const FailureReport& r, const std::string& stamp) {
    nlohmann::json j;
    j["schema"] = "envctl.failure-report/v1";
    j["time"] = stamp;
    j["project"] = r.project;
    j["command"] = r.command;
    j["engine"] = r.engine;
    j["attempt"] = r.attempt;
    j["attempts"] = r.attempts;
    j["ready_services"] = r.ready_services;
    j["environment"] = r.environment;
    j["failures"] = nlohmann::json::array();
    for (const auto& f : r.failures) {
        nlohmann::json fj{{"service", f.service}, {"kind", f.kind}, {"cause", f.cause}, {"log_tail", f.log_tail}};
        fj["exit_code"] = f.exit_code ? nlohmann::json(*f.exit_code) : nlohmann::json(nullptr);
        fj["probes"] = nlohmann::json::array();
        for (const auto& p : f.probes)
            fj["probes"].push_back({{"at_ms", p.at_ms}, {"target", p.target}, {"outcome", p.outcome},
                                    {"detail", p.detail}, {"latency_ms", p.latency_ms}});
        j["failures"].push_back(fj);
    }
    return j;
}

std::string to_text(const FailureReport& r, const std::string& stamp) {
    std::string out = fmt::format("envctl {} failed: project {}, attempt {} of {}, engine {}, {}\n", r.command, r.project,
                                  r.attempt, r.attempts, r.engine, stamp);
    if (!r.ready_services.empty()) {
        out += "ready:";
        for (const auto& s : r.ready_services) out += " " + s;
        out += "\n";
    }
    if (!r.environment.empty()) out += "environment: " + r.environment + "\n";
    for (const auto& f : r.failures) {
        out += fmt::format("\n== {} ({}): {}\n", f.service, f.kind, f.cause);
        if (f.exit_code) out += fmt::format("exit code: {}\n", *f.exit_code);
        if (!f.probes.empty()) out += "probes (ms since container start, target, outcome, detail, latency):\n";
        for (const auto& p : f.probes)
            out += fmt::format("  {:>7} {} {} {} {}ms\n", p.at_ms, p.target, p.outcome, p.detail, p.latency_ms);
        out += fmt::format("last {} log lines:\n", f.log_tail.size());
        for (const auto& line : f.log_tail) out += "  | " + line + "\n";
    }
    return out;
}

void prune(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> reports;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".json" && e.path().filename() != "latest.json") reports.push_back(e.path());
    std::sort(reports.begin(), reports.end());  // names start with the UTC time, so this is oldest first
    while (reports.size() > kReportsKept) {
        auto victim = reports.front();
        reports.erase(reports.begin());
        std::filesystem::remove(victim, ec);
        std::filesystem::remove(std::filesystem::path(victim).replace_extension(".txt"), ec);
    }
}

}  // namespace

std::filesystem::path write_failure_report(const std::filesystem::path& reports_dir, const FailureReport& report) {
    const auto stamp = utc_stamp();
    const auto base = reports_dir / fmt::format("{}-attempt{}", stamp, report.attempt);
    auto json_path = std::filesystem::path(base).concat(".json");
    auto txt_path = std::filesystem::path(base).concat(".txt");
    const auto& redactor = Redactor::global();
    files::write_private(json_path, redacted(to_json(report, stamp), redactor)
                                        .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    files::write_private(txt_path, redactor.redact(to_text(report, stamp)));
    // latest.json: a relative symlink, swapped in atomically.
    auto latest = reports_dir / "latest.json";
    auto tmp = reports_dir / ".latest.json.tmp";
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    std::filesystem::create_symlink(json_path.filename(), tmp, ec);
    if (!ec) std::filesystem::rename(tmp, latest, ec);
    prune(reports_dir);
    return json_path;
}

}  // namespace envctl::orchestration
