#include "envctl/preflight/container_check.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "envctl/preflight/helper_container.hpp"
#include "envctl/core/error.hpp"
#include "envctl/preflight/known_breakages.hpp"
#include "envctl/settings/connect_host.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/output_tail.hpp"

namespace envctl::preflight {
namespace detail {

subprocess::Result Podman::operator()(const std::vector<std::string>& args, Duration step_limit) const {
    subprocess::Spec spec;
    spec.argv.reserve(args.size() + 1);
    spec.argv.push_back("podman");
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = environment;
    spec.timeout = std::max<Duration>(Duration{1}, std::min(step_limit, remaining(deadline)));
    return subprocess::run(spec);
}

std::string podman_error(const subprocess::Result& r) {
    std::string err = last_lines(r.err, 4);
    if (r.timed_out || r.spawn_failed || r.interrupted || err.empty()) return r.describe() + (err.empty() ? "" : ": " + err);
    return err;
}

}  // namespace detail

namespace {

using namespace std::chrono_literals;
using detail::Podman;

constexpr const char* kPage = "envctl-check-ok";
constexpr int kContainerPort = 8080;

// A port the kernel has just handed out on `address` (0 when it cannot say): free a moment ago, never a fixed
// number that another program may hold.
int free_port(const std::string& address) {
    bool v6 = address.find(':') != std::string::npos;
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    int port = 0;
    if (v6) {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        socklen_t len = sizeof a;
        if (inet_pton(AF_INET6, address.c_str(), &a.sin6_addr) == 1 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port = ntohs(a.sin6_port);
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        socklen_t len = sizeof a;
        if (inet_pton(AF_INET, address.c_str(), &a.sin_addr) == 1 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port = ntohs(a.sin_port);
    }
    ::close(fd);
    return port;
}

std::string publish_of(const std::string& bind, int port) {
    std::string host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
    return fmt::format("{}:{}:{}", host, port, kContainerPort);
}

std::string fix_for(const std::string& error, const std::string& otherwise) {
    auto fix = known_fix(error);
    return fix.empty() ? otherwise : fix;
}

class ContainerCheck {
public:
    ContainerCheck(const settings::Settings& s, const ContainerCheckOptions& o)
        : settings_(s), options_(o), podman_{s.child_environment(), Clock::now() + o.budget} {
        std::random_device random;
        id_ = fmt::format("{}-{:04x}", ::getpid(), random() & 0xffff);
        network_ = kCheckPrefix + id_;
    }

    std::vector<Check> run() {
        steps();
        remove();
        if (interrupted_) throw Error(ExitCode::interrupted, "interrupted during the container check (what it made is removed)");
        return checks_;
    }

private:
    bool record(Check c) {
        bool ok = c.ok;
        checks_.push_back(std::move(c));
        return ok;
    }
    bool stop(const subprocess::Result& r) {
        if (r.interrupted || interrupt::requested()) interrupted_ = true;
        return interrupted_;
    }
    std::vector<std::string> labelled(std::vector<std::string> args) const {
        args.insert(args.begin() + 1, {"--label", fmt::format("{}={}", kCheckLabel, id_)});
        return args;
    }

    void steps() {
        Check image_check;
        image_ = detail::provide_image(podman_, id_, "/bin/busybox", image_check);
        if (!record(std::move(image_check))) return;
        if (interrupt::requested()) {
            interrupted_ = true;
            return;
        }
        if (options_.runtime_step && !runtime_step()) return;
        if (!network_step()) return;
        if (!published_port_step()) return;
        name_resolution_step();
    }

    bool runtime_step() {
        containers_.push_back(network_ + "-runtime");
        auto r = podman_(labelled({"run", "--rm", "--name", containers_.back(), "--network", "none", image_.name,
                                   "/bin/busybox", "true"}),
                         30s);
        if (stop(r)) return false;
        Check c{"a container starts", r.ok(), "", ""};
        if (r.ok()) {
            c.detail = fmt::format("{} ran /bin/busybox true in {}", image_.name, format_duration(r.elapsed));
        } else {
            c.detail = detail::podman_error(r);
            c.fix = fix_for(c.detail, "see the runtime's error above; `podman info` shows its configuration");
        }
        return record(std::move(c));
    }

    bool network_step() {
        network_made_ = true;
        auto r = podman_({"network", "create", network_}, 20s);  // podman 4.3's has no --label: named envctl-check-ID
        if (stop(r)) return false;
        Check c{"bridge network", r.ok(), "", ""};
        if (r.ok()) {
            c.detail = fmt::format("created {} in {}", network_, format_duration(r.elapsed));
        } else {
            c.detail = "podman network create failed: " + detail::podman_error(r);
            c.fix = fix_for(c.detail, "see podman's error above; `podman info` shows its network backend");
        }
        return record(std::move(c));
    }

    bool published_port_step() {
        const std::string& bind = settings_.bind_address;
        const std::string server = network_ + "-server";
        containers_.push_back(server);
        int port = free_port(bind);
        Check c{"published port", false, "", ""};
        if (port == 0) {
            c.detail = "no free port on " + bind + " (ENVCTL_BIND_ADDRESS) to publish";
            c.fix = "set ENVCTL_BIND_ADDRESS to an address of this machine (127.0.0.1 by default)";
            return record(std::move(c));
        }
        const std::string script = fmt::format(
            "/bin/busybox mkdir -p /tmp/www && echo {} > /tmp/www/index.html && exec /bin/busybox httpd -f -p {} -h /tmp/www",
            kPage, kContainerPort);
        auto r = podman_(labelled({"run", "-d", "--name", server, "--network", network_, "-p", publish_of(bind, port),
                                   image_.name, "/bin/busybox", "sh", "-c", script}),
                         30s);
        if (stop(r)) return false;
        if (!r.ok()) {
            c.detail = fmt::format("a container on {} publishing {}:{} did not start: {}", network_, bind, port,
                                   detail::podman_error(r));
            c.fix = fix_for(c.detail, "see podman's error above; `podman info` shows its network backend");
            return record(std::move(c));
        }
        // `podman run -d` returns once the container runs; httpd listens a moment later.
        const std::string url = fmt::format("http://{}/", settings::host_port(settings::connect_host(bind), std::to_string(port)));
        auto answer_by = std::min(Clock::now() + 5s, podman_.deadline);
        http::Response response;
        for (;;) {
            http::Request request;
            request.url = url;
            request.timeout = std::max<Duration>(Duration{1}, std::min<Duration>(2s, remaining(answer_by)));
            request.cancelled = [] { return interrupt::requested(); };
            response = http::perform(request);
            if (interrupt::requested()) {
                interrupted_ = true;
                return false;
            }
            if (response.has_status() || Clock::now() >= answer_by) break;
            interrupt::sleep_for(50ms);
        }
        c.ok = response.status == 200 && response.body.find(kPage) != std::string::npos;
        if (c.ok) {
            c.detail = fmt::format("a container on bridge network {} answered on {} from the host", network_, url);
        } else {
            c.detail = fmt::format("the container runs, but {} did not answer it from the host within 5s: {}", url,
                                   response.has_status() ? fmt::format("HTTP {}", response.status) : response.error);
            c.fix = "check the host firewall (iptables -t nat -L -n shows netavark's rules) and ENVCTL_BIND_ADDRESS (" + bind + ")";
        }
        return record(std::move(c));
    }

    void name_resolution_step() {
        const std::string server = network_ + "-server";
        containers_.push_back(network_ + "-client");
        // busybox's own resolver (nslookup asks the network's DNS server itself), then the page by that address
        // through nc: a static busybox's wget crashes in an empty root (glibc's NSS modules are not there).
        const std::string script = fmt::format(
            "ip=$(/bin/busybox nslookup -type=a {0} 2>&1 | /bin/busybox awk '/^Address: /{{a=$2}} END{{print a}}'); "
            "[ -n \"$ip\" ] || {{ echo \"bad address '{0}': the network's DNS server does not know it\" >&2; exit 2; }}; "
            "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | /bin/busybox nc -w 5 \"$ip\" {1}",
            server, kContainerPort);
        auto r = podman_(labelled({"run", "--rm", "--name", containers_.back(), "--network", network_, image_.name,
                                   "/bin/busybox", "sh", "-c", script}),
                         30s);
        if (stop(r)) return;
        Check c{"name resolution", r.ok() && r.out.find(kPage) != std::string::npos, "", ""};
        if (c.ok) {
            c.detail = fmt::format("a second container reached {} by name on {}", server, network_);
        } else {
            c.detail = fmt::format("a second container on {} could not reach {} by name: {}", network_, server,
                                   detail::podman_error(r));
            c.fix = c.detail.find("bad address") != std::string::npos
                        ? "apt-get install aardvark-dns (netavark resolves container names through it; `podman info "
                          "--format '{{.Host.NetworkBackend}}'` should say netavark)"
                        : fix_for(c.detail, "see the error above; `podman network inspect` shows the network");
        }
        record(std::move(c));
    }

    // Everything the check made, in one pass that an interrupt does not cut short: the containers (a failed
    // `run` may leave one created), the network, the image when it made one.
    void remove() {
        interrupt::CleanupScope cleanup;
        Podman podman{podman_.environment, Clock::now() + 30s};
        std::vector<std::string> left;
        bool all_ran_ok = std::all_of(checks_.begin(), checks_.end(), [](const Check& c) { return c.ok; });
        if (!containers_.empty() && (!all_ran_ok || interrupted_)) {
            std::vector<std::string> argv{"rm", "-f", "-i", "-t", "0"};
            argv.insert(argv.end(), containers_.begin(), containers_.end());
            auto r = podman(argv, 15s);
            if (!r.ok()) left.push_back(fmt::format("containers {} ({})", fmt::join(containers_, ", "), detail::podman_error(r)));
        }
        if (network_made_) {
            // -f -t 0: the server goes with it, at once.
            auto r = podman({"network", "rm", "-f", "-t", "0", network_}, 15s);
            if (!r.ok() && r.err.find("network not found") == std::string::npos)
                left.push_back(fmt::format("network {} ({})", network_, detail::podman_error(r)));
        }
        if (image_.made) {
            auto r = podman({"rmi", "-f", "-i", image_.name}, 15s);
            if (!r.ok()) left.push_back(fmt::format("image {} ({})", image_.name, detail::podman_error(r)));
        }
        if (left.empty()) return;
        checks_.push_back({"removing what the check made", false, fmt::format("left behind: {}", fmt::join(left, "; ")),
                           fmt::format("podman rm -f --filter label={0}={1}; podman network rm -f {2}; podman rmi "
                                       "--filter label={0}={1}",
                                       kCheckLabel, id_, network_)});
    }

    const settings::Settings& settings_;
    ContainerCheckOptions options_;
    Podman podman_;
    std::string id_;
    std::string network_;
    detail::CheckImage image_;
    bool network_made_ = false;
    bool interrupted_ = false;
    std::vector<std::string> containers_;
    std::vector<Check> checks_;
};

}  // namespace

std::vector<Check> check_containers(const settings::Settings& settings, const ContainerCheckOptions& options) {
    return ContainerCheck(settings, options).run();
}

void require_container_network(const settings::Settings& settings, const std::vector<engine::ContainerInfo>& project_containers) {
    for (const auto& c : project_containers)
        if (c.state == engine::ContainerState::running) return;  // podman runs this project's containers already
    ContainerCheckOptions options;
    options.runtime_step = false;
    options.budget = 45s;
    auto started = Clock::now();
    auto checks = check_containers(settings, options);
    log::debug("container network check: {} steps in {}", checks.size(),
               format_duration(std::chrono::duration_cast<Duration>(Clock::now() - started)));
    for (const auto& c : checks) {
        if (c.ok) continue;
        if (c.name == "removing what the check made") {
            log::warn("{}: {} (fix: {})", c.name, c.detail, c.fix);
            continue;
        }
        throw Error(ExitCode::preflight,
                    fmt::format("podman cannot give this project's containers what they need ({} failed): {}\n  fix: {}\n"
                                "  (nothing was created; no retry can fix this; `envctl doctor` runs every check)",
                                c.name, c.detail, c.fix));
    }
}

}  // namespace envctl::preflight
