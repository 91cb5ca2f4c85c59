// verify's environment/ready check on a loaded machine: a running service whose probe did not answer in time is
// probed again (alone) before the check fails; a stopped service is judged at once, without probing again. A fake engine
// and scripted probes; the check's own short pause is real (300 ms), its deadline the category's.
#include <gtest/gtest.h>

#include <atomic>

#include "envctl/verify/suite.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_engine.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace envctl;

namespace {

class VerifyEnvironmentReady : public ::testing::Test {
protected:
    void SetUp() override {
        settings.project_dir = dir.path();
        settings.project = "verifyready";
        descriptors::ServiceDescriptor db;
        db.name = "db";
        db.image = "localhost/test/db:1";
        stack.services = {db};
        stack.profiles["full"] = {"db"};
        engine.clock = &clock;
    }

    // The environment category's ready check of "db", its probe failing (not_ready, as a connect timeout is) the
    // first `failures` times.
    verify::Check ready_check(int failures) {
        auto in = std::make_shared<verify::SuiteInputs>();
        in->settings = &settings;
        in->stack = &stack;
        in->services = {"db"};
        in->selected = {"db"};
        in->containers = engine.list(Clock::now() + 1s);
        in->engine = &engine;
        in->make_probe = [this, failures](const descriptors::ServiceDescriptor& d) {
            health::Probe p;
            p.target = "fake://" + d.name;
            p.attempt = [this, failures](const health::AttemptContext&) {
                health::ProbeResult r;
                r.target = "fake://db";
                const bool ok = attempts.fetch_add(1) >= failures;
                r.outcome = ok ? health::Outcome::ok : health::Outcome::not_ready;
                r.detail = ok ? "accepting connections" : "timeout expired";
                return r;
            };
            return p;
        };
        for (auto& c : verify::environment_checks(in))
            if (c.name == "ready") return c;
        throw std::runtime_error("no ready check");
    }

    test::TempDir dir;
    settings::Settings settings;
    descriptors::Stack stack;
    test::FakeClock clock;
    test::FakeEngine engine;
    std::atomic<int> attempts{0};
};

}  // namespace

TEST_F(VerifyEnvironmentReady, AProbeThatTimedOutOnceIsAskedAgainAndTheServicePasses) {
    engine.create({"db"}, Clock::now() + 1s);
    engine.start({"db"}, Clock::now() + 1s);
    auto check = ready_check(1);
    const auto outcome = check.run(Clock::now() + 15s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_EQ(outcome.detail, "ready: accepting connections");
    EXPECT_EQ(attempts.load(), 2);
}

TEST_F(VerifyEnvironmentReady, AServiceThatNeverAnswersFailsBeforeTheCategoryDeadlineNamingWhy) {
    engine.create({"db"}, Clock::now() + 1s);
    engine.start({"db"}, Clock::now() + 1s);
    auto check = ready_check(1000);
    // 2 s to the category's deadline: the retries end a second before it, so the check reports, not the runner.
    const auto deadline = Clock::now() + 2s;
    const auto outcome = check.run(deadline);
    EXPECT_FALSE(outcome.ok);
    EXPECT_FALSE(outcome.timed_out);
    EXPECT_EQ(outcome.detail, "not_ready: timeout expired");
    EXPECT_LT(Clock::now(), deadline);
    EXPECT_GE(attempts.load(), 2);
}

TEST_F(VerifyEnvironmentReady, AStoppedServiceIsJudgedAtOnceWithoutProbingAgain) {
    engine.create({"db"}, Clock::now() + 1s);  // created, never started
    auto check = ready_check(0);
    const auto outcome = check.run(Clock::now() + 15s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.detail.rfind("stopped", 0), 0u) << outcome.detail;
    EXPECT_LE(attempts.load(), 1);  // the status round's one look at most, no retry
}
