#pragma once
// Failure reports: .envctl/reports/<UTC time>-attempt<N>.json and a .txt twin, with latest.json pointing at the
// newest; the last 20 attempts are kept. Everything in them has passed the redactor.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace envctl::orchestration {

struct ProbeRecord {
    std::int64_t at_ms = 0;      // since the container started
    std::string target;          // "http://127.0.0.1:8181/health"
    std::string outcome;         // "ok", "not_ready", "failed"
    std::string detail;          // "HTTP 503", "connection refused"
    std::int64_t latency_ms = 0;
};

struct ServiceFailure {
    std::string service;
    std::string kind;            // "timed_out" or "failed"
    std::string cause;           // one line: "no answer from http://127.0.0.1:8181/health within 3s"
    std::optional<int> exit_code;
    std::vector<ProbeRecord> probes;
    std::vector<std::string> log_tail;  // last 50 lines
};

struct FailureReport {
    std::string project;
    std::string command;         // "up", "reset"
    int attempt = 0;
    int attempts = 0;
    std::string engine;
    std::vector<ServiceFailure> failures;
    std::vector<std::string> ready_services;
    std::string environment;     // what envctl does with the environment after it: torn down, or left as it failed
};

constexpr std::size_t kReportsKept = 20;

// Writes both files, points latest.json at the JSON one, prunes old reports; returns the JSON report's path.
std::filesystem::path write_failure_report(const std::filesystem::path& reports_dir, const FailureReport& report);

}  // namespace envctl::orchestration
