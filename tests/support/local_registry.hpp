#pragma once
// A real container registry for pull tests: Debian's docker-registry (the CNCF distribution registry) on
// 127.0.0.1 and a free port, its storage in a temporary folder, optionally in htpasswd mode (bcrypt, made with
// `htpasswd -B`). Podman reaches it only through a test-only registries.conf (CONTAINERS_REGISTRIES_CONF) that
// makes it the mirror of docker.io, mcr.microsoft.com and ghcr.io: the host's configuration is never touched.
// A StallingProxy in front of it answers the API's ping and the manifests, then stops answering at the first
// blob: a registry that stops answering mid-pull.

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "envctl/util/subprocess.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {

class LocalRegistry {
public:
    // Serves `storage` (shared by two registries: one to push to, one in htpasswd mode over the same images).
    // Check ready() before use.
    LocalRegistry(const std::filesystem::path& storage, bool htpasswd);
    ~LocalRegistry();
    LocalRegistry(const LocalRegistry&) = delete;
    LocalRegistry& operator=(const LocalRegistry&) = delete;

    // True once /v2/ answers (within 10 s); why not otherwise.
    bool ready(std::string* why) const;
    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

    // Pushes a local image under an upstream name's path here (docker.io/library/redis:7 -> ADDRESS/library/redis:7),
    // zstd-compressed (gzip costs most of a push on 2 cores).
    bool push(const std::string& local_image, const std::string& upstream_name, std::string* why) const;

private:
    TempDir dir_;
    int port_ = 0;
    std::unique_ptr<subprocess::Background> server_;
};

// A registries.conf (in `dir`) that makes 127.0.0.1:PORT the insecure mirror of docker.io, mcr.microsoft.com and
// ghcr.io, with no unqualified-search registries. Returns its path.
std::filesystem::path write_mirror_registries_conf(const std::filesystem::path& dir, int port);

// The registry path of an upstream name: docker.io/library/redis:7 -> library/redis:7.
std::string path_without_registry(const std::string& upstream_name);

// A TCP proxy on 127.0.0.1 to `target_port` that relays every request until it sees one for a blob
// (GET /v2/.../blobs/...): from then on that connection gets no answer, held open until the proxy ends.
class StallingProxy {
public:
    explicit StallingProxy(int target_port);
    ~StallingProxy();
    StallingProxy(const StallingProxy&) = delete;
    StallingProxy& operator=(const StallingProxy&) = delete;
    int port() const { return port_; }
    int stalled() const { return stalled_.load(); }  // blob requests left unanswered

private:
    void accept_loop();
    void relay(int client);
    int target_port_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> stalled_{0};
    std::mutex mutex_;
    std::vector<std::thread> relays_;
    std::thread acceptor_;
};

}  // namespace envctl::test
