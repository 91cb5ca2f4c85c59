#include "support/cbs_test_peer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/container.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/listen_handler.hpp>
#include <proton/listener.hpp>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/receiver_options.hpp>
#include <proton/sender.hpp>
#include <proton/sender_options.hpp>
#include <proton/source_options.hpp>
#include <proton/target_options.hpp>
#include <proton/tracker.hpp>
#include <proton/value.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <algorithm>
#include <stdexcept>
#include <thread>

namespace envctl::test {
namespace {

std::string url_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

std::string base64_hmac_sha256(const std::string& key, const std::string& data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &length);
    std::string out(4 * ((length + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(length));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// "SharedAccessSignature sr=..&sig=..&se=..&skn=..": the fields as sent (still URL-encoded).
std::map<std::string, std::string> token_fields(const std::string& token) {
    std::map<std::string, std::string> fields;
    const std::string prefix = "SharedAccessSignature ";
    if (token.rfind(prefix, 0) != 0) return fields;
    std::size_t at = prefix.size();
    while (at <= token.size()) {
        const auto end = std::min(token.find('&', at), token.size());
        const auto part = token.substr(at, end - at);
        const auto eq = part.find('=');
        if (eq != std::string::npos) fields[part.substr(0, eq)] = part.substr(eq + 1);
        at = end + 1;
    }
    return fields;
}

std::string text(const proton::value& v) {
    if (v.type() == proton::STRING) return proton::get<std::string>(v);
    if (v.type() == proton::BINARY) return std::string(proton::get<proton::binary>(v));
    return {};
}

std::string property(const proton::message& m, const std::string& name) {
    return m.properties().exists(name) ? proton::coerce<std::string>(m.properties().get(name)) : std::string();
}

}  // namespace

struct CbsTestPeer::Impl : proton::messaging_handler, proton::listen_handler {
    Impl(std::string key_name_, std::string key_, std::vector<std::string> queues_)
        : key_name(std::move(key_name_)), key(std::move(key_)), container(*this) {
        for (auto& q : queues_) queues[q];
        thread = std::thread([this] {
            try {
                container.run();
            } catch (const std::exception&) {
            }
            std::lock_guard lock(mutex);
            stopped = true;
            changed.notify_all();
        });
        std::unique_lock lock(mutex);
        if (!changed.wait_for(lock, std::chrono::seconds(10), [this] { return listening || stopped; }) || !listening)
            throw std::runtime_error("the CBS test peer did not start listening");
    }

    ~Impl() override {
        container.stop();
        thread.join();
    }

    // listen_handler
    void on_open(proton::listener& l) override {
        std::lock_guard lock(mutex);
        bound_port = l.port();
        listening = true;
        changed.notify_all();
    }
    proton::connection_options on_accept(proton::listener&) override {
        return proton::connection_options().handler(*this).sasl_enabled(true).sasl_allowed_mechs("ANONYMOUS");
    }

    // messaging_handler
    void on_container_start(proton::container& c) override { c.listen("127.0.0.1:0", static_cast<proton::listen_handler&>(*this)); }

    void on_connection_open(proton::connection& c) override {
        if (c.uninitialized()) c.open();
    }

    void on_receiver_open(proton::receiver& r) override {  // the client sends: to $cbs, or to a queue
        const std::string address = r.target().address();
        if (address != "$cbs" && !admitted(r.connection(), address)) return refuse(r, address);
        r.open(proton::receiver_options().auto_accept(false).credit_window(10).target(proton::target_options().address(address)));
    }

    void on_sender_open(proton::sender& s) override {  // the client receives: $cbs replies, or from a queue
        const std::string address = s.source().address();
        if (address != "$cbs" && !admitted(s.connection(), address)) return refuse(s, address);
        s.open(proton::sender_options()
                   .source(proton::source_options().address(address))
                   .target(proton::target_options().address(s.target().address())));
        senders.push_back(s);  // before any put-token arrives: the reply goes out on it
    }

    void on_message(proton::delivery& d, proton::message& m) override {
        const std::string address = d.receiver().target().address();
        if (address == "$cbs") {
            d.accept();
            answer_put_token(d.connection(), m);
            return;
        }
        {
            std::lock_guard lock(mutex);
            auto q = queues.find(address);
            if (q == queues.end()) {
                d.reject();
                return;
            }
            q->second.push_back(m);
        }
        d.accept();
        for (auto& s : senders) deliver(s);
    }

    void on_sendable(proton::sender& s) override { deliver(s); }

    void on_tracker_release(proton::tracker& t) override { put_back(t); }
    void on_tracker_reject(proton::tracker& t) override { put_back(t); }
    void on_tracker_accept(proton::tracker& t) override {
        std::erase_if(in_flight, [&](const auto& f) { return f.tracker == t; });
    }
    void on_sender_close(proton::sender& s) override {
        forget(s);
        if (!s.closed()) s.close();
    }
    void on_connection_close(proton::connection& c) override {
        if (!c.closed()) c.close();
        std::erase_if(senders, [&](const proton::sender& s) { return s.connection() == c; });
        std::lock_guard lock(mutex);
        std::erase_if(authorized, [&](const auto& entry) { return entry.first == c; });
    }
    void on_transport_error(proton::transport&) override {}
    void on_error(const proton::error_condition&) override {}

    bool admitted(const proton::connection& c, const std::string& address) {
        std::lock_guard lock(mutex);
        const std::string audience = "sb://" + host + "/" + address;
        return std::any_of(authorized.begin(), authorized.end(),
                           [&](const auto& entry) { return entry.first == c && entry.second == audience; });
    }

    template <class Link>
    void refuse(Link& link, const std::string& address) {
        {
            std::lock_guard lock(mutex);
            refused.push_back(address);
        }
        link.open();
        link.close(proton::error_condition("amqp:unauthorized-access", "no token for " + address));
    }

    void answer_put_token(proton::connection c, const proton::message& m) {
        PutToken request;
        request.operation = property(m, "operation");
        request.type = property(m, "type");
        request.name = property(m, "name");
        request.reply_to = m.reply_to();
        request.message_id = proton::coerce<std::string>(m.id());
        const auto fields = token_fields(text(m.body()));
        const auto get = [&](const char* k) { return fields.count(k) ? fields.at(k) : std::string(); };
        request.sr = url_decode(get("sr"));
        request.skn = url_decode(get("skn"));
        request.se = get("se");
        request.signature_ok = !get("sr").empty() && request.skn == key_name &&
                               url_decode(get("sig")) == base64_hmac_sha256(key, get("sr") + "\n" + request.se);
        const bool well_formed = request.operation == "put-token" && request.type == "servicebus.windows.net:sastoken" &&
                                 request.name == request.sr;
        request.status = !well_formed ? 400 : request.signature_ok ? 202 : 401;
        bool answer = false;
        {
            std::lock_guard lock(mutex);
            if (request.status == 202) authorized.emplace_back(c, request.name);
            answer = !silent;
            tokens.push_back(request);
        }
        if (!answer) return;
        for (auto& s : senders) {
            if (s.connection() != c || s.source().address() != "$cbs" || s.target().address() != request.reply_to) continue;
            proton::message reply;
            reply.correlation_id(m.id());
            reply.properties().put("status-code", request.status);
            reply.properties().put("status-description", request.status == 202 ? "Accepted" : "Unauthorized");
            s.send(reply);
            return;
        }
    }

    void deliver(proton::sender& s) {
        const std::string address = s.source().address();
        if (address == "$cbs") return;
        std::lock_guard lock(mutex);
        auto q = queues.find(address);
        if (q == queues.end()) return;
        while (s.credit() > 0 && !q->second.empty()) {
            in_flight.push_back({s.send(q->second.front()), address, q->second.front()});
            q->second.pop_front();
        }
    }

    void put_back(proton::tracker& t) {
        auto it = std::find_if(in_flight.begin(), in_flight.end(), [&](const InFlight& f) { return f.tracker == t; });
        if (it == in_flight.end()) return;
        {
            std::lock_guard lock(mutex);
            queues[it->queue].push_front(it->message);
        }
        in_flight.erase(it);
    }

    void forget(const proton::sender& s) { std::erase(senders, s); }

    const std::string key_name, key;
    const std::string host = "127.0.0.1";
    proton::container container;
    std::thread thread;
    mutable std::mutex mutex;
    std::condition_variable changed;
    bool listening = false, stopped = false, silent = false;
    int bound_port = 0;
    std::map<std::string, std::deque<proton::message>> queues;
    std::vector<std::pair<proton::connection, std::string>> authorized;  // (connection, audience) put-token accepted
    std::vector<PutToken> tokens;
    std::vector<std::string> refused;
    // Container thread only:
    std::vector<proton::sender> senders;
    struct InFlight {
        proton::tracker tracker;
        std::string queue;
        proton::message message;
    };
    std::vector<InFlight> in_flight;  // sent, not yet settled by the client
};

CbsTestPeer::CbsTestPeer(std::string key_name, std::string key, std::vector<std::string> queues)
    : impl_(std::make_unique<Impl>(std::move(key_name), std::move(key), std::move(queues))) {}
CbsTestPeer::~CbsTestPeer() = default;

int CbsTestPeer::port() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->bound_port;
}

std::vector<CbsTestPeer::PutToken> CbsTestPeer::put_tokens() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->tokens;
}

std::size_t CbsTestPeer::queued(const std::string& queue) const {
    std::lock_guard lock(impl_->mutex);
    auto q = impl_->queues.find(queue);
    return q == impl_->queues.end() ? 0 : q->second.size();
}

std::vector<std::string> CbsTestPeer::refused_links() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->refused;
}

void CbsTestPeer::go_silent() {
    std::lock_guard lock(impl_->mutex);
    impl_->silent = true;
}

}  // namespace envctl::test
