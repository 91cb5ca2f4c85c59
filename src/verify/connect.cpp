#include "envctl/verify/connect.hpp"

#include <unistd.h>

#include <random>
#include <sstream>

#include <fmt/format.h>

#include "envctl/engine/service_spec.hpp"
#include "envctl/preflight/container_check.hpp"
#include "envctl/preflight/helper_container.hpp"

namespace envctl::verify {
namespace {

using namespace std::chrono_literals;

constexpr const char* kVerifyLabel = "io.envctl.verify";

std::string script_for(const std::vector<ConnectTarget>& targets) {
    std::string script;
    for (const auto& t : targets)
        script += fmt::format("(if /bin/busybox nc -w 2 {0} {1} -e /bin/busybox true 2>/dev/null; then echo 'ok {0}:{1}'; "
                              "else echo 'fail {0}:{1}'; fi) & ",
                              t.service, t.port);
    return script + "wait";
}

}  // namespace

Outcome judge_connect(const ConnectRun& run, const std::vector<ConnectTarget>& targets) {
    std::vector<std::string> ok, refused;
    for (const auto& t : targets) {
        const auto target = fmt::format("{}:{}", t.service, t.port);
        auto it = run.answered.find(target);
        (it != run.answered.end() && it->second ? ok : refused).push_back(target);
    }
    std::string detail = refused.empty() ? fmt::format("{} answered inside the project network", fmt::join(ok, ", "))
                                         : fmt::format("{} did not answer inside the project network", fmt::join(refused, ", "));
    if (!refused.empty() && !run.error.empty()) detail += " (" + run.error + ")";
    if (!run.left_behind.empty()) detail += fmt::format("; not removed: {}", fmt::join(run.left_behind, ", "));
    return {refused.empty(), detail};
}

ConnectRun connect_from_network(const settings::Settings& settings, const std::vector<ConnectTarget>& targets,
                                Deadline deadline) {
    ConnectRun run;
    std::random_device random;
    const std::string id = fmt::format("{}-{:04x}", ::getpid(), random() & 0xffff);
    const std::string name = "envctl-verify-" + id;
    preflight::detail::Podman podman{settings.child_environment(), deadline};
    preflight::Check image_check;
    auto image = preflight::detail::provide_image(podman, id, "/bin/busybox", image_check);
    if (!image_check.ok) {
        run.error = image_check.detail + (image_check.fix.empty() ? "" : " (fix: " + image_check.fix + ")");
    } else {
        auto r = podman({"run", "--rm", "--name", name, "--label", fmt::format("{}={}", kVerifyLabel, id), "--network",
                         engine::network_name(settings.project), image.name, "/bin/busybox", "sh", "-c", script_for(targets)},
                        30s);
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("ok ", 0) == 0) run.answered[line.substr(3)] = true;
            else if (line.rfind("fail ", 0) == 0) run.answered[line.substr(5)] = false;
        }
        if (!r.ok()) run.error = "the helper container failed: " + preflight::detail::podman_error(r);
    }
    // Removal has its own deadline: it runs after a timeout too.
    preflight::detail::Podman cleanup{settings.child_environment(), Clock::now() + 15s};
    auto rm = cleanup({"rm", "-f", "-i", name}, 10s);
    if (!rm.ok()) run.left_behind.push_back("container " + name);
    if (image.made) {
        auto rmi = cleanup({"rmi", "-f", "-i", image.name}, 10s);
        if (!rmi.ok()) run.left_behind.push_back("image " + image.name);
    }
    return run;
}

}  // namespace envctl::verify
