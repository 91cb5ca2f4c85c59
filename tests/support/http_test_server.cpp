#include "support/http_test_server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "envctl/util/subprocess.hpp"

namespace envctl::test {

struct HttpTestServer::Impl {
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    int port = 0;
    mutable std::mutex mutex;
    std::condition_variable stopping_cv;
    bool stopping = false;
    std::function<ScriptedReply(int)> responder = [](int) { return ScriptedReply{}; };
    int requests = 0;
    std::string last_path;
    std::vector<ReceivedRequest> received;

    void handle(const httplib::Request& req, httplib::Response& res) {
        std::function<ScriptedReply(int)> respond;
        int n = 0;
        {
            std::lock_guard<std::mutex> lock(mutex);
            n = requests++;
            last_path = req.path;
            ReceivedRequest r{req.method, req.target, {}, req.body};
            for (const auto& [name, value] : req.headers) r.headers.emplace_back(name, value);
            received.push_back(std::move(r));
            respond = responder;
        }
        ScriptedReply reply = respond(n);
        if (reply.delay.count() > 0) {
            std::unique_lock<std::mutex> lock(mutex);
            stopping_cv.wait_for(lock, reply.delay, [this] { return stopping; });
        }
        res.status = reply.status;
        if (reply.drop) {
            // Headers promise a body; the provider refuses, so the server closes the connection mid-reply.
            res.set_content_provider(reply.body.size() + 16, "text/plain",
                                     [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
        } else {
            res.set_content(reply.body, "text/plain");
        }
    }

    void start() {
        if (!server->is_valid()) throw std::runtime_error("the test HTTP server could not be set up");
        auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
        server->Get(".*", handler);
        server->Post(".*", handler);
        server->Put(".*", handler);
        server->Patch(".*", handler);
        server->Delete(".*", handler);
        port = server->bind_to_any_port("127.0.0.1");
        if (port <= 0) throw std::runtime_error("the test HTTP server could not bind 127.0.0.1");
        thread = std::thread([this] { server->listen_after_bind(); });
        // stop() is a no-op until the accept loop runs: wait for it (bounded).
        for (int i = 0; i < 500 && !server->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }

    ~Impl() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stopping = true;
        }
        stopping_cv.notify_all();
        if (server) server->stop();
        if (thread.joinable()) thread.join();
    }
};

HttpTestServer::HttpTestServer() : impl_(std::make_unique<Impl>()) {
    impl_->server = std::make_unique<httplib::Server>();
    impl_->start();
}

HttpTestServer::HttpTestServer(const std::filesystem::path& cert, const std::filesystem::path& key)
    : impl_(std::make_unique<Impl>()) {
    impl_->server = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
    impl_->start();
}

HttpTestServer::~HttpTestServer() = default;

int HttpTestServer::port() const { return impl_->port; }

void HttpTestServer::script(std::function<ScriptedReply(int n)> responder) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->responder = std::move(responder);
}

void HttpTestServer::script(std::vector<ScriptedReply> replies) {
    if (replies.empty()) replies.push_back(ScriptedReply{});
    script([replies](int n) { return replies[std::min<std::size_t>(static_cast<std::size_t>(n), replies.size() - 1)]; });
}

int HttpTestServer::requests() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->requests;
}

std::string HttpTestServer::last_path() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->last_path;
}

std::vector<ReceivedRequest> HttpTestServer::received() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->received;
}

std::string ReceivedRequest::header(const std::string& name) const {
    for (const auto& [n, v] : headers)
        if (n.size() == name.size() &&
            std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
            return v;
    return "";
}

bool make_self_signed_certificate(const std::filesystem::path& dir, std::filesystem::path& cert,
                                  std::filesystem::path& key, std::string& why_not) {
    if (!subprocess::find_program("openssl")) {
        why_not = "the openssl binary";
        return false;
    }
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    subprocess::Spec spec;
    spec.argv = {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-keyout", key.string(), "-out", cert.string(), "-days", "2", "-subj", "/CN=localhost"};
    spec.timeout = std::chrono::seconds(30);
    subprocess::Result r = subprocess::run(spec);
    if (!r.ok()) {
        why_not = "openssl req: " + r.describe() + " " + r.err;
        return false;
    }
    return true;
}

}  // namespace envctl::test
