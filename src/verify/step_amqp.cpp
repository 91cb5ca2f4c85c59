// verify's `amqp` step: a message named ${VERIFY_ID} sent to a queue over AMQP 1.0 on the service's published port,
// received back and accepted (verify/amqp_client.hpp). Should the round trip fail after the message went out, the
// message is taken off the queue on a short deadline of its own (and it expires by itself should even that fail).
#include <fmt/format.h>

#include "envctl/util/redactor.hpp"
#include "envctl/verify/amqp_client.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::verify {
namespace {

using namespace std::chrono_literals;
constexpr Duration kTakeBackTime = 3s;

}  // namespace

Outcome run_amqp_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    const auto* key = env.settings ? env.settings->vars.find(step.key_variable) : nullptr;
    if (!key) return {false, step.key_variable + " is not set (the SAS key the AMQP check authorizes with)"};
    Redactor::global().add_secret(*key);
    amqp::Request request;
    request.host = env.host;
    request.port = published_port(step, env);
    request.auth = step.auth == "plain" ? amqp::Auth::plain : amqp::Auth::cbs;
    request.key_name = expand(step.key_name, env);
    request.key = *key;
    request.send_address = request.receive_address = expand(step.queue, env);
    const auto id = env.values.find("VERIFY_ID");
    request.id = id != env.values.end() ? id->second : verify_object_name();

    const auto result = amqp::round_trip(request, deadline);
    std::string detail = result.detail;
    bool ok = result.ok;
    if (result.sent && !result.received) {
        const auto taken = amqp::take(request, Clock::now() + kTakeBackTime);
        if (taken.received) {
            detail += fmt::format("; cleanup: took {} off {}", request.id, request.receive_address);
        } else {
            ok = false;
            detail += fmt::format("; not cleaned up: {} (it expires after {})", taken.detail, format_duration(request.ttl));
        }
    }
    return {ok, Redactor::global().redact(detail), !ok && result.timed_out};
}

}  // namespace envctl::verify
