#include "envctl/preflight/kube_check.hpp"

#include <unistd.h>

#include <random>

#include <fmt/format.h>

#include "envctl/preflight/container_check.hpp"
#include "envctl/preflight/helper_container.hpp"
#include "envctl/preflight/known_breakages.hpp"

namespace envctl::preflight {

using namespace std::chrono_literals;

Check check_kube_pod(const settings::Settings& settings, Duration budget) {
    const detail::Podman podman{settings.child_environment(), Clock::now() + budget};
    std::random_device random;
    const std::string id = fmt::format("{}-{:04x}", ::getpid(), random() & 0xffff);
    const std::string pod = kCheckPrefix + id + "-pod";
    Check check{"kube play pod", false, "", ""};
    auto created = podman({"pod", "create", "--name", pod, "--label", fmt::format("{}={}", kCheckLabel, id)}, budget);
    if (!created.ok()) {
        check.detail = "podman cannot create a pod (every service of --engine kube is one): " + detail::podman_error(created);
        check.fix = known_fix(created.err);
        if (check.fix.empty()) check.fix = "make `podman pod create` work (podman kube play creates its pods the same way)";
    } else {
        check.ok = true;
        check.detail = "podman creates pods with their infra container (the pause image, built from catatonit)";
    }
    // Removed even when create failed (it may have made the pod before timing out); -i: none is fine.
    auto removed = podman({"pod", "rm", "-f", "-i", "-t", "0", pod}, 30s);
    if (!removed.ok() && check.ok) {
        check.ok = false;
        check.detail = "could not remove the check's pod " + pod + ": " + detail::podman_error(removed);
        check.fix = "podman pod rm -f " + pod;
    }
    return check;
}

}  // namespace envctl::preflight
