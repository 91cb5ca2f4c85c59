// envctl::http over a unix socket, as the native engine talks to podman's API (the TCP and TLS paths are
// exercised by the http probe's tests against a real scripted server).
#include "envctl/util/http_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace envctl::http {
namespace {

// Accepts one connection on a unix socket, reads one request (headers and a Content-Length body) and answers
// with `reply`, the whole HTTP response text.
class OneShotUnixServer {
public:
    OneShotUnixServer(std::string path, std::string reply) : path_(std::move(path)), reply_(std::move(reply)) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 1) != 0) {
            ADD_FAILURE() << "cannot listen on " << path_;
            return;
        }
        thread_ = std::thread([this] { serve(); });
    }
    ~OneShotUnixServer() {
        ::shutdown(fd_, SHUT_RDWR);
        if (thread_.joinable()) thread_.join();
        ::close(fd_);
    }
    std::string request() {
        if (thread_.joinable()) thread_.join();
        return request_;
    }

private:
    void serve() {
        int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) return;
        char buf[4096];
        std::size_t want = std::string::npos;
        while (request_.size() < want) {
            ssize_t n = ::read(c, buf, sizeof buf);
            if (n <= 0) break;
            request_.append(buf, static_cast<std::size_t>(n));
            auto end = request_.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            auto cl = request_.find("Content-Length: ");
            std::size_t length = cl == std::string::npos ? 0 : std::stoul(request_.substr(cl + 16));
            want = end + 4 + length;
        }
        (void)!::write(c, reply_.data(), reply_.size());
        ::close(c);
    }

    std::string path_;
    std::string reply_;
    int fd_ = -1;
    std::thread thread_;
    std::string request_;
};

TEST(HttpClient, PostsTheBodyOverAUnixSocketAndReadsTheReply) {
    test::TempDir dir;
    std::string socket = (dir.path() / "api.sock").string();
    std::string body = R"({"Id":"abc","Warnings":[]})";
    OneShotUnixServer server(socket, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    Request r;
    r.method = "POST";
    r.url = "http://podman/v4.0.0/libpod/containers/create";
    r.unix_socket = socket;
    r.body = R"({"name":"x"})";
    Response response = perform(r);
    EXPECT_EQ(response.failure, Failure::none) << response.error;
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.body, body);
    std::string seen = server.request();
    EXPECT_EQ(seen.rfind("POST /v4.0.0/libpod/containers/create HTTP/1.1\r\n", 0), 0u) << seen;
    EXPECT_NE(seen.find("Content-Type: application/json\r\n"), std::string::npos) << seen;
    EXPECT_NE(seen.find("\r\n\r\n{\"name\":\"x\"}"), std::string::npos) << seen;
}

TEST(HttpClient, KeepsAtMostKeepBytesOfTheBody) {
    test::TempDir dir;
    std::string socket = (dir.path() / "api.sock").string();
    std::string body(1000, 'x');
    OneShotUnixServer server(socket, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1000\r\n\r\n" + body);
    Request r;
    r.url = "http://podman/x";
    r.unix_socket = socket;
    r.keep_bytes = 10;
    Response response = perform(r);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body, std::string(10, 'x'));
}

TEST(HttpClient, NoSocketIsRefusedWithoutAStatus) {
    test::TempDir dir;
    Request r;
    r.url = "http://podman/_ping";
    r.unix_socket = (dir.path() / "missing.sock").string();
    Response response = perform(r);
    EXPECT_EQ(response.failure, Failure::refused);
    EXPECT_EQ(response.error, "no such socket");
    EXPECT_FALSE(response.has_status());
}

TEST(HttpClient, AServerThatNeverAnswersTimesOut) {
    test::TempDir dir;
    std::string socket = (dir.path() / "api.sock").string();
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket.c_str());
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(fd, 1), 0);  // connections queue, nobody accepts
    Request r;
    r.url = "http://podman/_ping";
    r.unix_socket = socket;
    r.timeout = std::chrono::milliseconds(200);
    Response response = perform(r);
    EXPECT_EQ(response.failure, Failure::timed_out);
    EXPECT_EQ(response.error, "timed out after 200ms");
    ::close(fd);
}

}  // namespace
}  // namespace envctl::http
