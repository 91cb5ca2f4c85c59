#include "support/local_registry.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "envctl/util/http_client.hpp"
#include "support/pg_cluster.hpp"  // free_port()

namespace envctl::test {
namespace {

using namespace std::chrono_literals;

int listen_loopback(int* port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

int connect_loopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    if (fd >= 0) ::close(fd);
    return -1;
}

}  // namespace

std::string path_without_registry(const std::string& upstream_name) {
    auto slash = upstream_name.find('/');
    return slash == std::string::npos ? "library/" + upstream_name : upstream_name.substr(slash + 1);
}

std::filesystem::path write_mirror_registries_conf(const std::filesystem::path& dir, int port) {
    auto path = dir / "registries.conf";
    std::ofstream out(path);
    out << "# envctl tests only: a local registry as the mirror of the upstream registries\n"
           "unqualified-search-registries = []\n";
    for (const char* registry : {"docker.io", "mcr.microsoft.com", "ghcr.io"}) {
        out << "\n[[registry]]\nprefix = \"" << registry << "\"\nlocation = \"" << registry << "\"\n"
            << "[[registry.mirror]]\nlocation = \"127.0.0.1:" << port << "\"\ninsecure = true\n";
    }
    return path;
}

LocalRegistry::LocalRegistry(const std::filesystem::path& storage, bool htpasswd) {
    port_ = free_port();
    std::string auth;
    if (htpasswd) {
        subprocess::Spec spec;
        spec.argv = {"htpasswd", "-Bbn", "envctl-test", "not-a-real-password"};
        spec.timeout = 20s;
        auto r = subprocess::run(spec);
        if (!r.ok()) return;  // ready() says why
        std::ofstream(dir_ / "htpasswd") << r.out;
        auth = "auth:\n  htpasswd:\n    realm: envctl-test\n    path: " + (dir_ / "htpasswd").string() + "\n";
    }
    std::ofstream(dir_ / "config.yml") << "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                                       << "storage:\n  filesystem:\n    rootdirectory: " << storage.string() << "\n"
                                       << "  delete:\n    enabled: true\n"
                                       << auth << "http:\n  addr: 127.0.0.1:" << port_ << "\n";
    subprocess::Spec spec;
    spec.argv = {"docker-registry", "serve", (dir_ / "config.yml").string()};
    try {
        server_ = std::make_unique<subprocess::Background>(subprocess::Background::start(spec));
    } catch (const std::exception&) {
        server_.reset();
    }
}

LocalRegistry::~LocalRegistry() {
    if (server_) server_->stop();
}

bool LocalRegistry::ready(std::string* why) const {
    if (!server_) {
        *why = "docker-registry (or htpasswd, for the auth mode) could not be started: apt-get install docker-registry "
               "apache2-utils (scripts/setup --tests)";
        return false;
    }
    auto give_up = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < give_up) {
        http::Request ping;
        ping.url = "http://" + address() + "/v2/";
        ping.timeout = 1s;
        auto r = http::perform(ping);
        if (r.status == 200 || r.status == 401) return true;
        if (!server_->running()) break;
        std::this_thread::sleep_for(50ms);
    }
    *why = "docker-registry did not answer on " + address();
    return false;
}

bool LocalRegistry::push(const std::string& local_image, const std::string& upstream_name, std::string* why) const {
    subprocess::Spec spec;
    spec.argv = {"podman", "push", "--quiet", "--tls-verify=false", "--compression-format", "zstd", local_image,
                 address() + "/" + path_without_registry(upstream_name)};
    spec.timeout = 3min;
    auto r = subprocess::run(spec);
    if (!r.ok()) *why = "podman push " + local_image + ": " + r.describe() + ": " + r.err;
    return r.ok();
}

StallingProxy::StallingProxy(int target_port) : target_port_(target_port) {
    listen_fd_ = listen_loopback(&port_);
    acceptor_ = std::thread([this] { accept_loop(); });
}

StallingProxy::~StallingProxy() {
    stop_ = true;
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& t : relays_) t.join();
    ::close(listen_fd_);
}

void StallingProxy::accept_loop() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        std::lock_guard lock(mutex_);
        relays_.emplace_back([this, client] { relay(client); });
    }
}

void StallingProxy::relay(int client) {
    int server = connect_loopback(target_port_);
    bool stalled = server < 0;
    char buf[16384];
    while (!stop_) {
        pollfd fds[2] = {{client, POLLIN, 0}, {server, static_cast<short>(stalled ? 0 : POLLIN), 0}};
        if (::poll(fds, stalled ? 1 : 2, 20) <= 0) continue;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(client, buf, sizeof buf, 0);
            if (n <= 0) break;
            std::string data(buf, static_cast<std::size_t>(n));
            if (!stalled && data.rfind("GET ", 0) == 0 && data.find("/blobs/") != std::string::npos &&
                data.find("/blobs/") < data.find('\n')) {
                stalled = true;  // from here on: silence
                stalled_ += 1;
            }
            if (!stalled) (void)::send(server, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL);
        }
        if (!stalled && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = ::recv(server, buf, sizeof buf, 0);
            if (n <= 0) break;
            (void)::send(client, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL);
        }
    }
    ::close(client);
    if (server >= 0) ::close(server);
}

}  // namespace envctl::test
