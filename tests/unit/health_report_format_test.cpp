#include <gtest/gtest.h>

#include "envctl/health/clock.hpp"
#include "envctl/health/report_format.hpp"

using namespace envctl;
using namespace envctl::health;
using std::chrono::milliseconds;

namespace {
ServiceReport timed_out_report() {
    ServiceReport r;
    r.name = "vault";
    r.target = "http://127.0.0.1:8200/v1/sys/health";
    r.verdict = Verdict::timed_out;
    r.reason = "not ready within 3s (2 attempts; last: HTTP 503: sealed)";
    r.decided_after = milliseconds(3000);
    r.attempts = 2;
    ProbeResult p;
    p.target = r.target;
    p.detail = "HTTP 503";
    p.http_status = 503;
    p.excerpt = "sealed";
    p.latency = milliseconds(12);
    r.history = {HistoryEntry{milliseconds(0), p}, HistoryEntry{milliseconds(1250), p}};
    return r;
}
}  // namespace

TEST(ReportFormat, ServiceReportJsonHasTheHistory) {
    nlohmann::json j = to_json(timed_out_report());
    EXPECT_EQ(j["name"], "vault");
    EXPECT_EQ(j["verdict"], "timed_out");
    EXPECT_TRUE(j["ready_after_ms"].is_null());
    EXPECT_EQ(j["decided_after_ms"], 3000);
    ASSERT_EQ(j["history"].size(), 2u);
    EXPECT_EQ(j["history"][1]["at_ms"], 1250);
    EXPECT_EQ(j["history"][1]["outcome"], "not_ready");
    EXPECT_EQ(j["history"][1]["http_status"], 503);
    EXPECT_EQ(j["history"][1]["excerpt"], "sealed");
    EXPECT_EQ(j["history"][1]["latency_ms"], 12);
}

TEST(ReportFormat, TextLines) {
    ServiceReport r = timed_out_report();
    EXPECT_EQ(format_line(r.history[1]), "+1.25s  not_ready  HTTP 503: sealed  (12ms)");
    EXPECT_EQ(summary_line(r), "vault: timed out after 3.00s: not ready within 3s (2 attempts; last: HTTP 503: sealed)");
    r.verdict = Verdict::ready;
    r.ready_after = milliseconds(480);
    r.reason = "HTTP 200";
    EXPECT_EQ(summary_line(r), "vault: ready after 480ms (HTTP 200)");
}

TEST(HealthClock, EpochStartTimesMapOntoTheSteadyClock) {
    auto epoch_now = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    TimePoint started = steady_from_epoch_ms((epoch_now - milliseconds(5000)).count());
    auto age = std::chrono::steady_clock::now() - started;
    EXPECT_GE(age, milliseconds(4900));
    EXPECT_LT(age, milliseconds(6000));
}

TEST(HealthClock, RealClockSleepsUntilThePointAndNotAfterItPassed) {
    health::Clock& clock = real_clock();
    TimePoint begin = clock.now();
    EXPECT_TRUE(clock.sleep_until(begin + milliseconds(50)));
    EXPECT_GE(clock.now() - begin, milliseconds(50));
    EXPECT_TRUE(clock.sleep_until(begin));  // already passed: returns at once
}
