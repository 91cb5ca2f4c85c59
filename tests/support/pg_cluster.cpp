#include "support/pg_cluster.hpp"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <mutex>

#include "envctl/util/subprocess.hpp"

namespace envctl::test {
namespace {

bool running_as_root() { return ::geteuid() == 0; }

// argv run as the postgres user when we are root.
std::vector<std::string> as_postgres(std::vector<std::string> argv) {
    if (!running_as_root()) return argv;
    std::vector<std::string> wrapped{"runuser", "-u", "postgres", "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
}

void chown_to_postgres(const std::filesystem::path& p) {
    if (!running_as_root()) return;
    if (struct passwd* pw = ::getpwnam("postgres")) (void)!::chown(p.c_str(), pw->pw_uid, pw->pw_gid);
}

}  // namespace

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0) ::close(fd);
    return port;
}

std::filesystem::path PgCluster::bin_dir() {
    std::filesystem::path best;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
        auto bin = entry.path() / "bin";
        if (std::filesystem::exists(bin / "initdb") && (best.empty() || entry.path().filename() > best.parent_path().filename()))
            best = bin;
    }
    return best;
}

db::ConnectionInfo PgCluster::admin_connection(const std::string& database) const {
    db::ConnectionInfo info;
    info.host = host();
    info.port = port_;
    info.user = superuser();
    info.password = password_;
    info.database = database;
    return info;
}

PgCluster* PgCluster::shared(std::string* why_not) {
    static std::mutex mutex;
    static std::unique_ptr<PgCluster> instance;
    static std::string failure;
    std::lock_guard lock(mutex);
    if (!instance && failure.empty()) {
        std::unique_ptr<PgCluster> c(new PgCluster());
        std::string why;
        if (c->start(&why)) instance = std::move(c);
        else failure = why;
    }
    if (!instance && why_not) *why_not = failure;
    return instance.get();
}

bool PgCluster::start(std::string* why_not) {
    auto bin = bin_dir();
    if (bin.empty()) {
        *why_not = "no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)";
        return false;
    }
    if (running_as_root() && ::getpwnam("postgres") == nullptr) {
        *why_not = "no 'postgres' user to run the server as";
        return false;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "envctl-pg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        *why_not = "mkdtemp failed";
        return false;
    }
    root_ = pattern;
    data_dir_ = root_ / "data";
    chown_to_postgres(root_);
    auto pwfile = root_ / "pwfile";
    { std::ofstream(pwfile) << password_ << "\n"; }
    chown_to_postgres(pwfile);
    port_ = free_port();

    subprocess::Spec init;
    init.argv = as_postgres({(bin / "initdb").string(), "-D", data_dir_.string(), "-U", "postgres",
                             "--auth=scram-sha-256", "--pwfile=" + pwfile.string(), "--no-sync", "-E", "UTF8",
                             "--locale=C"});
    init.timeout = std::chrono::seconds(120);
    auto r = subprocess::run(init);
    if (!r.ok()) {
        *why_not = "initdb: " + r.describe() + ": " + r.err;
        return false;
    }
    subprocess::Spec start;
    start.argv = as_postgres({(bin / "pg_ctl").string(), "-D", data_dir_.string(), "-l", (root_ / "log").string(),
                              "-w", "-t", "60", "-o",
                              "-p " + std::to_string(port_) + " -k " + root_.string() +
                                  " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                              "start"});
    start.timeout = std::chrono::seconds(90);
    r = subprocess::run(start);
    if (!r.ok()) {
        *why_not = "pg_ctl start: " + r.describe() + ": " + r.out + r.err;
        return false;
    }
    started_ = true;
    return true;
}

PgCluster::~PgCluster() {
    if (started_) {
        subprocess::Spec stop;
        stop.argv = as_postgres({(bin_dir() / "pg_ctl").string(), "-D", data_dir_.string(), "-m", "immediate", "-w", "stop"});
        stop.timeout = std::chrono::seconds(30);
        (void)subprocess::run(stop);
    }
    std::error_code ec;
    if (!root_.empty()) std::filesystem::remove_all(root_, ec);
}

}  // namespace envctl::test
