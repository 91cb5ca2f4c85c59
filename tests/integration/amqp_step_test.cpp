// verify's amqp step (Qpid Proton) against a real AMQP 1.0 broker from Debian: RabbitMQ 3.10 with its AMQP 1.0
// plugin, SASL PLAIN. The broker's own count (rabbitmqctl list_queues) proves nothing is left in the queue, after a
// pass and after a failed round trip; wrong credentials fail naming why, with no secret in the detail. A broker that
// accepts the connection and never answers ends at the deadline as `timeout` (a silent TCP listener).
#include <gtest/gtest.h>

#include "envctl/descriptors/verify_step.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/verify/amqp_client.hpp"
#include "envctl/verify/runner.hpp"
#include "envctl/verify/steps.hpp"
#include "support/prerequisite.hpp"
#include "support/rabbitmq_broker.hpp"
#include "support/tcp_test_listener.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;

namespace {

descriptors::VerifyStep amqp_step(const std::string& queue) {
    descriptors::VerifyStep step;
    step.kind = descriptors::StepKind::amqp;
    step.port_variable = "SERVICE_BUS_PORT";
    step.queue = queue;
    step.key_name = test::RabbitMqBroker::kUser;
    step.key_variable = "SERVICE_BUS_SAS_KEY";
    step.auth = "plain";
    return step;
}

settings::Settings broker_settings(int port, const std::string& key) {
    settings::Settings settings;
    settings.vars.set("SERVICE_BUS_PORT", std::to_string(port), {});
    settings.vars.set("SERVICE_BUS_SAS_KEY", key, {});
    return settings;
}

}  // namespace

TEST(AmqpBroker, SendsReceivesAndLeavesNothingAlsoAfterAFailure) {
    std::string why_not;
    auto broker = test::RabbitMqBroker::start(why_not);
    REQUIRE_PREREQUISITE(broker != nullptr, why_not);
    const std::string queue = "envctl-amqp-queue";

    // The step, as a declared check runs it: sent, received back, accepted.
    auto settings = broker_settings(broker->port(), test::RabbitMqBroker::kPassword);
    StepEnv env;
    env.settings = &settings;
    env.service = "service-bus-emulator";
    env.values["VERIFY_ID"] = verify_object_name();
    const auto outcome = run_amqp_step(amqp_step(queue), env, Clock::now() + 10s);
    ASSERT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_NE(outcome.detail.find("received back"), std::string::npos) << outcome.detail;

    // A round trip that fails after its message went out (sent to `queue`, waited for elsewhere): timed out.
    amqp::Request other{"127.0.0.1", broker->port(), amqp::Auth::plain, test::RabbitMqBroker::kUser,
                        test::RabbitMqBroker::kPassword, queue, "envctl-amqp-elsewhere", "someone-elses-message"};
    const auto failed = amqp::round_trip(other, Clock::now() + 1500ms);
    EXPECT_FALSE(failed.ok);
    EXPECT_TRUE(failed.timed_out) << failed.detail;
    EXPECT_TRUE(failed.sent) << failed.detail;
    EXPECT_FALSE(failed.received);

    // With that message waiting in the queue the step takes only its own and releases the other unchanged.
    env.values["VERIFY_ID"] = verify_object_name();
    const auto second = run_amqp_step(amqp_step(queue), env, Clock::now() + 10s);
    ASSERT_TRUE(second.ok) << second.detail;

    // The cleanup after a failed round trip takes the message back off the queue; once gone, it is not found.
    other.receive_address = queue;
    const auto taken = amqp::take(other, Clock::now() + 5s);
    EXPECT_TRUE(taken.ok && taken.received) << taken.detail;
    const auto absent = amqp::take(other, Clock::now() + 1s);
    EXPECT_FALSE(absent.received) << absent.detail;
    EXPECT_NE(absent.detail.find("did not arrive"), std::string::npos) << absent.detail;

    // Wrong credentials: a clear failure (not a timeout), no secret in the detail.
    const std::string wrong = "wrong-sas-key-0815";
    auto bad = broker_settings(broker->port(), wrong);
    env.settings = &bad;
    const auto refused = run_amqp_step(amqp_step(queue), env, Clock::now() + 10s);
    EXPECT_FALSE(refused.ok);
    EXPECT_FALSE(refused.timed_out);
    EXPECT_NE(refused.detail.find("unauthorized"), std::string::npos) << refused.detail;
    EXPECT_EQ(refused.detail.find(wrong), std::string::npos) << refused.detail;
    EXPECT_EQ(refused.detail.find(test::RabbitMqBroker::kPassword), std::string::npos) << refused.detail;

    // The broker's own count (one rabbitmqctl call: each boots an Erlang VM): nothing left after all of it.
    EXPECT_EQ(broker->messages(queue), 0);
}

TEST(AmqpBroker, ABrokerThatNeverAnswersEndsAtTheDeadlineAsTimeout) {
    test::TcpTestListener silent("", true);
    auto settings = broker_settings(silent.port(), "any-key-value");
    Check check{"azure", "service-bus-emulator", "queue send receive", [&](Deadline deadline) {
                    StepEnv env;
                    env.settings = &settings;
                    env.values["VERIFY_ID"] = verify_object_name();
                    return run_amqp_step(amqp_step("envctl-amqp-queue"), env, deadline);
                }, ""};
    RunOptions options;
    options.category_timeout = 1s;
    options.cleanup_grace = 5s;
    const auto report = run_checks({check}, options, health::real_clock());
    ASSERT_EQ(report.checks.size(), 1u);
    EXPECT_EQ(report.checks[0].status, Status::timeout) << report.checks[0].detail;
    EXPECT_GE(silent.accepted(), 1);

    // The client itself: at its deadline the container is stopped and its thread joined (this returns).
    amqp::Request request;
    request.port = silent.port();
    request.key_name = "RootManageSharedAccessKey";
    request.key = "any-key-value";
    request.send_address = request.receive_address = "envctl-amqp-queue";
    request.id = verify_object_name();
    const auto result = amqp::round_trip(request, Clock::now() + 500ms);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.timed_out) << result.detail;
    EXPECT_FALSE(result.sent);
}
