#include <gtest/gtest.h>

#include "envctl/health/prober.hpp"
#include "envctl/orchestration/retry_policy.hpp"

using namespace envctl;
using namespace envctl::orchestration;
using std::chrono::milliseconds;

namespace {
UniformRandom constant(double u) {
    return [u] { return u; };
}
}  // namespace

TEST(Backoff, DoublesFromOneSecondAndStopsAfterTheLastAttempt) {
    BackoffPolicy policy;  // 3 attempts
    EXPECT_EQ(backoff_delay(policy, 1, constant(0.5)), milliseconds(1000));
    EXPECT_EQ(backoff_delay(policy, 2, constant(0.5)), milliseconds(2000));
    EXPECT_EQ(backoff_delay(policy, 3, constant(0.5)), std::nullopt);
    policy.attempts = 5;
    EXPECT_EQ(backoff_delay(policy, 3, constant(0.5)), milliseconds(4000));
    EXPECT_EQ(backoff_delay(policy, 4, constant(0.5)), milliseconds(8000));
    policy.attempts = 1;
    EXPECT_EQ(backoff_delay(policy, 1, constant(0.5)), std::nullopt);
    EXPECT_EQ(backoff_delay(policy, 0, constant(0.5)), std::nullopt);
}

TEST(Backoff, JitterIsPlusOrMinusTwentyPercent) {
    BackoffPolicy policy;
    EXPECT_EQ(backoff_delay(policy, 1, constant(0.0)), milliseconds(800));
    EXPECT_EQ(backoff_delay(policy, 1, constant(0.999999)), milliseconds(1200));
    EXPECT_EQ(backoff_delay(policy, 2, constant(0.0)), milliseconds(1600));
    EXPECT_EQ(backoff_delay(policy, 2, constant(0.75)), milliseconds(2200));
}

TEST(Backoff, DefaultRandomStaysWithinTheBoundsAndVaries) {
    BackoffPolicy policy;
    policy.attempts = 10;
    UniformRandom random = default_random();
    Duration low{milliseconds(100000)}, high{0};
    for (int i = 0; i < 2000; ++i) {
        Duration d = *backoff_delay(policy, 3, random);  // base 4 s
        ASSERT_GE(d, milliseconds(3200));
        ASSERT_LE(d, milliseconds(4800));
        low = std::min(low, d);
        high = std::max(high, d);
    }
    EXPECT_LT(low, milliseconds(3500));  // the spread is used, not a constant
    EXPECT_GT(high, milliseconds(4500));
}

TEST(Backoff, CappedBeforeJitter) {
    BackoffPolicy policy;
    policy.attempts = 20;
    policy.max_delay = milliseconds(5000);
    EXPECT_EQ(backoff_delay(policy, 10, constant(0.5)), milliseconds(5000));
    EXPECT_EQ(backoff_delay(policy, 10, constant(0.0)), milliseconds(4000));
}

TEST(RetryClassification, OnlyFailuresAnotherAttemptCanFixAreRetried) {
    EXPECT_TRUE(retryable(FailureKind::timed_out));
    EXPECT_TRUE(retryable(FailureKind::container_exited));
    EXPECT_TRUE(retryable(FailureKind::engine_error));
    for (auto k : {FailureKind::probe_failed, FailureKind::invalid_settings, FailureKind::preflight, FailureKind::engine_fault,
                   FailureKind::migration, FailureKind::locked, FailureKind::interrupted, FailureKind::internal})
        EXPECT_FALSE(retryable(k)) << to_string(k);
}

TEST(RetryClassification, ExitCodesRoundTrip) {
    EXPECT_EQ(classify(ExitCode::usage), FailureKind::invalid_settings);
    EXPECT_EQ(classify(ExitCode::preflight), FailureKind::preflight);
    EXPECT_EQ(classify(ExitCode::migration), FailureKind::migration);
    EXPECT_EQ(classify(ExitCode::locked), FailureKind::locked);
    EXPECT_EQ(classify(ExitCode::interrupted), FailureKind::interrupted);
    EXPECT_EQ(classify(ExitCode::internal), FailureKind::internal);
    for (auto code : {ExitCode::usage, ExitCode::timed_out, ExitCode::service_failed, ExitCode::not_started,
                      ExitCode::migration, ExitCode::preflight, ExitCode::locked, ExitCode::interrupted})
        EXPECT_EQ(exit_code(classify(code)), code);
    EXPECT_EQ(exit_code(FailureKind::probe_failed), ExitCode::service_failed);
}

TEST(RetryClassification, ProberVerdicts) {
    health::ServiceReport r;
    r.verdict = health::Verdict::timed_out;
    EXPECT_EQ(classify(r), FailureKind::timed_out);
    r.verdict = health::Verdict::failed;
    r.cause = health::FailCause::container_exited;
    EXPECT_EQ(classify(r), FailureKind::container_exited);
    r.cause = health::FailCause::probe_failed;
    EXPECT_EQ(classify(r), FailureKind::probe_failed);
    EXPECT_FALSE(retryable(classify(r)));
}
