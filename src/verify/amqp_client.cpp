// The one module that includes Qpid Proton's headers (Debian libqpid-proton-cpp12): an AMQP 1.0 round trip to a
// queue under a deadline. Proton's container runs on a thread of its own; a timer in the container stops it at the
// deadline, and the caller stops it too (container::stop is thread-safe) should it not have ended shortly after,
// then joins the thread. A message is settled (accepted) before the connection is closed gracefully, so the
// disposition reaches the broker before the container stops.
#include "envctl/verify/amqp_client.hpp"

#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/container.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/map.hpp>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/receiver_options.hpp>
#include <proton/scalar.hpp>
#include <proton/sender.hpp>
#include <proton/sender_options.hpp>
#include <proton/source_options.hpp>
#include <proton/target_options.hpp>
#include <proton/tracker.hpp>
#include <proton/transport.hpp>
#include <proton/value.hpp>
#include <proton/work_queue.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "envctl/settings/connect_host.hpp"

namespace envctl::verify::amqp {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCbsNode = "$cbs";
constexpr const char* kCbsReplyTo = "cbs-envctl";
constexpr Duration kTick = 100ms;  // how often the container looks at the deadline

// What the emulator's CBS node takes: a SAS token for the entity, valid for an hour.
std::string cbs_audience(const Request& r, const std::string& entity) { return fmt::format("sb://{}/{}", r.host, entity); }

std::string condition_text(const proton::error_condition& e) {
    if (!e) return "closed";
    std::string out = e.name();
    if (!e.description().empty()) out += ": " + e.description();
    return out;
}

class Handler : public proton::messaging_handler {
public:
    Handler(const Request& request, bool send, Deadline deadline) : r_(request), send_(send), deadline_(deadline) {
        if (send) entities_.push_back(r_.send_address);
        if (!send || r_.receive_address != r_.send_address) entities_.push_back(r_.receive_address);
    }

    Result result() const {
        Result out = result_;
        if (!finished_) {
            out.ok = false;
            out.timed_out = true;
            out.detail = receiving_ ? fmt::format("{} did not arrive from {} by the deadline", r_.id, r_.receive_address)
                                    : fmt::format("no answer by the deadline ({})", stage_);
        }
        return out;
    }

    void on_container_start(proton::container& c) override {
        container_ = &c;
        proton::connection_options options;
        options.sasl_enabled(true);
        options.idle_timeout(proton::duration(0));
        if (r_.auth == Auth::plain) {
            options.user(r_.key_name).password(r_.key).sasl_allowed_mechs("PLAIN").sasl_allow_insecure_mechs(true);
        } else {
            options.sasl_allowed_mechs("ANONYMOUS");
        }
        stage_ = fmt::format("connecting to {}", where());
        c.connect(where(), options);
        watch_deadline();
    }

    // The deadline, watched in short ticks: a timer still pending keeps Proton's container running after stop() (its
    // proactor stays active until the timeout expires), so one timer set at the deadline held every round trip, even
    // a finished one, until then. A finished round trip schedules no further tick.
    void watch_deadline() {
        if (finished_) return;
        if (remaining(deadline_) <= Duration{0}) {
            at_deadline_ = true;
            container_->stop();
            return;
        }
        const auto next = std::chrono::duration_cast<std::chrono::milliseconds>(std::min<Duration>(kTick, remaining(deadline_)));
        container_->schedule(proton::duration(static_cast<std::int64_t>(std::max<std::int64_t>(1, next.count()))),
                             [this] { watch_deadline(); });
    }

    void on_connection_open(proton::connection& c) override {
        connection_ = c;
        if (r_.auth == Auth::cbs) {
            stage_ = "authorizing on $cbs (put-token)";
            cbs_receiver_ = c.open_receiver(kCbsNode, proton::receiver_options().credit_window(1).auto_accept(true).target(
                                                           proton::target_options().address(kCbsReplyTo)));
            cbs_sender_ = c.open_sender(kCbsNode);
        } else {
            open_entity();
        }
    }

    void on_sendable(proton::sender& s) override {
        if (s == cbs_sender_) {
            // One token per entity the round trip touches (the queue; or the topic and its subscription).
            while (tokens_sent_ < entities().size() && s.credit() > 0) {
                const std::string audience = cbs_audience(r_, entities()[tokens_sent_]);
                proton::message m;
                m.id(proton::message_id(fmt::format("envctl-put-token-{}", tokens_sent_)));
                m.reply_to(kCbsReplyTo);
                const auto expiry = std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch() + 1h).count();
                m.properties().put("operation", "put-token");
                m.properties().put("type", "servicebus.windows.net:sastoken");
                m.properties().put("name", audience);
                m.body(sas_token(audience, r_.key_name, r_.key, expiry));
                s.send(m);
                ++tokens_sent_;
            }
        } else if (s == sender_ && !message_sent_) {
            message_sent_ = true;
            proton::message m;
            m.id(proton::message_id(r_.id));
            m.body(r_.id);
            m.ttl(proton::duration(static_cast<std::int64_t>(r_.ttl.count())));
            m.properties().put("envctl_verify", "true");
            stage_ = fmt::format("sending to {}", r_.send_address);
            s.send(m);
        }
    }

    void on_tracker_accept(proton::tracker& t) override {
        if (t.sender() != sender_) return;
        result_.sent = true;
        open_receiver();
    }
    void on_tracker_reject(proton::tracker& t) override {
        if (t.sender() == sender_) fail(fmt::format("{} refused the message (rejected)", r_.send_address));
    }
    void on_tracker_release(proton::tracker& t) override {
        if (t.sender() == sender_) fail(fmt::format("{} did not take the message (released)", r_.send_address));
    }

    void on_message(proton::delivery& d, proton::message& m) override {
        if (d.receiver() == cbs_receiver_) {
            on_cbs_reply(m);
            return;
        }
        if (d.receiver() != receiver_) return;
        if (m.id() == proton::message_id(r_.id)) {
            d.accept();
            result_.received = true;
            const bool body_ok = body_text(m) == r_.id;
            // Others' messages seen on the way go back unchanged.
            for (auto& other : held_) other.release();
            held_.clear();
            if (!body_ok) {
                fail(fmt::format("the message {} came back from {} with another body", r_.id, r_.receive_address));
                return;
            }
            succeed(send_ ? fmt::format("sent to {} and received back from {}, accepted", r_.send_address, r_.receive_address)
                          : fmt::format("took {} off {}", r_.id, r_.receive_address));
            return;
        }
        held_.push_back(d);  // not ours: held unsettled (so the next message comes), released at the end
    }

    void on_transport_error(proton::transport& t) override {
        fail(fmt::format("{}: {}", where(), condition_text(t.error())));
    }
    void on_connection_error(proton::connection& c) override {
        fail(fmt::format("{} closed the connection: {}", where(), condition_text(c.error())));
    }
    void on_receiver_error(proton::receiver& rcv) override {
        const std::string node = rcv == cbs_receiver_ ? std::string(kCbsNode) : r_.receive_address;
        fail(fmt::format("receiving from {}: {}", node, condition_text(rcv.error())));
    }
    void on_sender_error(proton::sender& s) override {
        const std::string node = s == cbs_sender_ ? std::string(kCbsNode) : r_.send_address;
        fail(fmt::format("sending to {}: {}", node, condition_text(s.error())));
    }
    void on_connection_close(proton::connection&) override {
        fail(fmt::format("{} closed the connection", where()));
        container_->stop();
    }
    void on_transport_close(proton::transport&) override {
        fail(fmt::format("{} dropped the connection", where()));
        container_->stop();
    }

    // At the deadline (the container's timer, or the caller's backstop from its thread): whatever the stop still
    // reports (aborted connections) is not a failure of the broker's, the result is a timeout.
    void at_deadline() { at_deadline_ = true; }

private:
    std::string where() const { return settings::host_port(r_.host, std::to_string(r_.port)); }

    const std::vector<std::string>& entities() const { return entities_; }

    static std::string body_text(const proton::message& m) {
        if (m.body().type() == proton::STRING) return proton::get<std::string>(m.body());
        if (m.body().type() == proton::BINARY) return std::string(proton::get<proton::binary>(m.body()));
        return {};
    }

    void on_cbs_reply(proton::message& m) {
        const auto& props = m.properties();
        if (!props.exists("status-code")) {
            fail("the $cbs node answered put-token without a status-code");
            return;
        }
        const auto code = proton::coerce<std::int64_t>(props.get("status-code"));
        if (code != 200 && code != 202) {
            const std::string why = props.exists("status-description") ? proton::coerce<std::string>(props.get("status-description")) : "";
            fail(fmt::format("the SAS token of {} was refused: put-token status {}{}", r_.key_name, code, why.empty() ? "" : ": " + why));
            return;
        }
        if (++tokens_accepted_ == entities().size()) open_entity();
    }

    void open_entity() {
        if (send_) {
            stage_ = fmt::format("opening a sender to {}", r_.send_address);
            sender_ = connection_.open_sender(r_.send_address, proton::sender_options().auto_settle(true));
        } else {
            open_receiver();
        }
    }

    void open_receiver() {
        stage_ = fmt::format("receiving {} from {}", r_.id, r_.receive_address);
        receiving_ = true;
        receiver_ = connection_.open_receiver(r_.receive_address, proton::receiver_options().auto_accept(false).credit_window(0));
        // No drain to learn that the queue holds nothing more: RabbitMQ 3.10 answers a drain on a new link with
        // nothing at all. take() waits for its message until its (short) deadline instead.
        receiver_.add_credit(50);
    }

    void succeed(std::string detail) { finish(true, std::move(detail)); }
    void fail(std::string detail) { finish(false, std::move(detail)); }

    void finish(bool ok, std::string detail) {
        if (finished_ || at_deadline_) return;
        finished_ = true;
        result_.ok = ok;
        result_.detail = std::move(detail);
        for (auto& other : held_) other.release();
        held_.clear();
        // Closed gracefully: the dispositions go out first; the container stops on the broker's close.
        if (connection_ && connection_.active()) connection_.close();
        else container_->stop();
    }

    const Request& r_;
    const bool send_;
    const Deadline deadline_;
    proton::container* container_ = nullptr;
    proton::connection connection_;
    proton::sender cbs_sender_, sender_;
    proton::receiver cbs_receiver_, receiver_;
    std::vector<proton::delivery> held_;
    std::vector<std::string> entities_;
    std::size_t tokens_sent_ = 0;
    std::size_t tokens_accepted_ = 0;
    std::atomic<bool> at_deadline_{false};
    bool message_sent_ = false;
    bool finished_ = false;
    bool receiving_ = false;
    std::string stage_ = "starting";
    Result result_;
};

Result run(const Request& request, bool send, Deadline deadline) {
    if (remaining(deadline) <= Duration{0}) return {false, true, false, false, "the deadline passed before connecting"};
    Handler handler(request, send, deadline);
    proton::container container(handler);
    std::mutex mutex;
    std::condition_variable changed;
    bool ended = false;
    std::string crashed;
    std::thread thread([&] {
        try {
            container.run();
        } catch (const std::exception& e) {
            crashed = e.what();
        }
        std::lock_guard<std::mutex> lock(mutex);
        ended = true;
        changed.notify_all();
    });
    {
        // The container's own timer stops it at the deadline; this is the backstop should it not.
        std::unique_lock<std::mutex> lock(mutex);
        if (!changed.wait_until(lock, deadline + 1s, [&] { return ended; })) {
            lock.unlock();
            handler.at_deadline();
            container.stop();
        }
    }
    thread.join();
    auto result = handler.result();
    if (!crashed.empty() && !result.ok && !result.timed_out) result.detail = fmt::format("{} ({})", result.detail, crashed);
    return result;
}

}  // namespace

Result round_trip(const Request& request, Deadline deadline) { return run(request, true, deadline); }
Result take(const Request& request, Deadline deadline) { return run(request, false, deadline); }

}  // namespace envctl::verify::amqp
