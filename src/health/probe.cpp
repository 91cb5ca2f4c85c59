#include "envctl/health/probe.hpp"

#include <algorithm>
#include <exception>

#include <fmt/format.h>

#include "envctl/util/interrupt.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/utf8.hpp"

namespace envctl::health {

std::string to_string(Outcome o) {
    switch (o) {
    case Outcome::ok: return "ok";
    case Outcome::not_ready: return "not_ready";
    case Outcome::failed: return "failed";
    }
    return "unknown";
}

std::string ProbeResult::describe() const { return excerpt.empty() ? detail : detail + ": " + excerpt; }

bool AttemptContext::cancelled() const {
    return (cancel != nullptr && cancel->load()) || interrupt::requested();
}

// Rounded for reading: a timeout computed from a deadline is 499 ms more often than 500 ms.
std::string timeout_detail(Duration timeout) {
    long long ms = timeout.count();
    if (ms < 1000) return fmt::format("timeout after {}ms", std::max(10LL, (ms + 5) / 10 * 10));
    long long tenths = (ms + 50) / 100;
    if (tenths % 10 == 0) return fmt::format("timeout after {}s", tenths / 10);
    return fmt::format("timeout after {}.{}s", tenths / 10, tenths % 10);
}

ProbeResult run_attempt(const Probe& probe, const AttemptContext& ctx) {
    auto begin = std::chrono::steady_clock::now();
    ProbeResult result;
    try {
        result = probe.attempt(ctx);
    } catch (const std::exception& e) {
        result.outcome = Outcome::not_ready;
        result.detail = std::string("probe error: ") + e.what();
    } catch (...) {
        result.outcome = Outcome::not_ready;
        result.detail = "probe error";
    }
    result.latency = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - begin);
    if (result.target.empty()) result.target = probe.target;
    const Redactor& redactor = Redactor::global();
    // What a service or a command answered reaches state, reports and --json documents: valid UTF-8 only.
    result.target = utf8::valid(redactor.redact(result.target));
    result.detail = utf8::valid(redactor.redact(result.detail));
    result.excerpt = utf8::valid(redactor.redact(result.excerpt));
    return result;
}

}  // namespace envctl::health
