// verify's runner on the fake clock: categories and the checks inside them run at once, each category under its
// own deadline; a hanging check is reported `timeout` at its category's deadline while the others still pass;
// skipped checks never run; an exception is a failure.
#include "envctl/verify/runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "support/fake_clock.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;

namespace {

Check passing(std::string category, std::string name) {
    return {std::move(category), "svc", std::move(name), [](Deadline) { return Outcome{true, "fine"}; }, ""};
}

// A check that blocks until `release` is set, then reports it finished.
Check hanging(std::string category, std::shared_future<void> release, std::shared_ptr<std::atomic<bool>> finished) {
    return {std::move(category), "svc", "hangs", [release, finished](Deadline) {
                release.wait();
                *finished = true;
                return Outcome{true, "late"};
            },
            ""};
}

const CheckResult& find(const Report& r, const std::string& category, const std::string& name) {
    for (const auto& c : r.checks)
        if (c.category == category && c.name == name) return c;
    throw std::runtime_error("no check " + category + "/" + name);
}

}  // namespace

TEST(VerifyRunner, HangingCheckTimesOutAtItsCategoryDeadlineWhileOthersPass) {
    test::FakeClock clock;
    std::promise<void> release;
    auto finished = std::make_shared<std::atomic<bool>>(false);
    std::vector<Check> checks{passing("environment", "a"), hanging("environment", release.get_future().share(), finished),
                              passing("environment", "b"), passing("migrations", "c")};
    RunOptions options;
    options.category_timeout = 2s;
    options.cleanup_grace = 0ms;
    auto report = run_checks(checks, options, clock);
    release.set_value();

    EXPECT_EQ(find(report, "environment", "a").status, Status::pass);
    EXPECT_EQ(find(report, "environment", "b").status, Status::pass);
    EXPECT_EQ(find(report, "migrations", "c").status, Status::pass);
    const auto& hung = find(report, "environment", "hangs");
    EXPECT_EQ(hung.status, Status::timeout);
    EXPECT_EQ(hung.duration, 2s);
    EXPECT_NE(hung.detail.find("2s"), std::string::npos) << hung.detail;
    ASSERT_EQ(report.categories.size(), 2u);
    EXPECT_EQ(report.categories[0].name, "environment");
    EXPECT_EQ(report.categories[0].passed, 2);
    EXPECT_EQ(report.categories[0].timeout, 1);
    EXPECT_EQ(report.categories[0].duration, 2s);
    EXPECT_EQ(report.categories[1].timeout, 0);
    EXPECT_LT(report.categories[1].duration, 2s);
    EXPECT_FALSE(report.passed());
    // The fake clock moved by the runner's polls, and no further than the deadline.
    EXPECT_LE(clock.now() - (health::TimePoint{} + 1h), 2s);
    for (int i = 0; i < 2000 && !*finished; ++i) std::this_thread::sleep_for(1ms);  // let the left-behind thread end
    EXPECT_TRUE(*finished);
}

TEST(VerifyRunner, ChecksInsideACategoryRunConcurrently) {
    // Each of three checks waits until all three have started: run one after another, they could never pass.
    test::FakeClock clock;
    auto started = std::make_shared<std::atomic<int>>(0);
    std::vector<Check> checks;
    for (const char* name : {"x", "y", "z"})
        checks.push_back({"environment", "svc", name, [started](Deadline) {
                              ++*started;
                              for (int i = 0; i < 5000 && *started < 3; ++i) std::this_thread::sleep_for(1ms);
                              return Outcome{*started >= 3, "saw " + std::to_string(started->load())};
                          },
                          ""});
    RunOptions options;
    options.category_timeout = 1h;  // on the fake clock: the polls never reach it
    auto report = run_checks(checks, options, clock);
    for (const auto& c : report.checks) EXPECT_EQ(c.status, Status::pass) << c.name << ": " << c.detail;
    EXPECT_TRUE(report.passed());
}

TEST(VerifyRunner, SkippedChecksDoNotRunAndFailuresCarryTheirDetail) {
    test::FakeClock clock;
    std::atomic<bool> ran{false};
    std::vector<Check> checks{
        {"environment", "redis-dapr", "ready", [&ran](Deadline) { ran = true; return Outcome{true, ""}; }, "not selected"},
        {"environment", "postgresql", "ready", [](Deadline) { return Outcome{false, "failed: connection refused"}; }, ""},
        {"environment", "azurite", "ready", [](Deadline) -> Outcome { throw std::runtime_error("podman inspect failed"); }, ""},
    };
    auto report = run_checks(checks, RunOptions{}, clock);
    EXPECT_FALSE(ran);
    EXPECT_EQ(report.checks[0].status, Status::skipped);
    EXPECT_EQ(report.checks[0].detail, "not selected");
    EXPECT_EQ(report.checks[1].status, Status::fail);
    EXPECT_EQ(report.checks[1].detail, "failed: connection refused");
    EXPECT_EQ(report.checks[2].status, Status::fail);
    EXPECT_EQ(report.checks[2].detail, "podman inspect failed");
    ASSERT_EQ(report.categories.size(), 1u);
    EXPECT_EQ(report.categories[0].skipped, 1);
    EXPECT_EQ(report.categories[0].failed, 2);
    EXPECT_FALSE(report.passed());
}

TEST(VerifyRunner, OnlySkippedAndPassedMeansPassed) {
    test::FakeClock clock;
    std::vector<Check> checks{passing("environment", "a"), {"migrations", "postgresql", "database d", {}, "container exited"}};
    auto report = run_checks(checks, RunOptions{}, clock);
    EXPECT_TRUE(report.passed());
}
