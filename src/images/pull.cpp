#include "envctl/images/pull.hpp"

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/images/podman_images.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/output_tail.hpp"

#include "api_pull.hpp"

namespace envctl::images {
namespace {

constexpr auto kInspectLimit = std::chrono::seconds(15);

PullOutcome failed(const std::string& image, PullCause cause, std::string answer, Duration elapsed) {
    PullOutcome o;
    o.image = image;
    o.error = PullError{cause, registry_of(image), std::move(answer)};
    o.elapsed = elapsed;
    return o;
}

// A pull that succeeded, with the image's size when podman tells it.
PullOutcome pulled(const std::string& image, const PullOptions& options, Duration elapsed) {
    PullOutcome o;
    o.image = image;
    o.pulled = true;
    o.elapsed = elapsed;
    try {
        if (auto info = inspect_image(image, std::min(options.deadline, Clock::now() + kInspectLimit)))
            o.size_bytes = info->size_bytes;
    } catch (const Error& e) {
        log::debug("{}: pulled, but its size is unknown: {}", image, e.what());
    }
    return o;
}

PullOutcome timed_out(const std::string& image, Duration elapsed) {
    return failed(image, PullCause::timed_out,
                  fmt::format("no complete pull within the pull deadline (stopped after {}; ENVCTL_PULL_TIMEOUT): "
                              "the registry stopped answering or is too slow", format_duration(elapsed)),
                  elapsed);
}

PullOutcome refused(const std::string& image, const std::string& answer, Duration elapsed) {
    PullOutcome o;
    o.image = image;
    o.error = classify_pull_error(image, answer);
    o.elapsed = elapsed;
    return o;
}

// Through podman's API, with progress; nullopt when the service could not be reached (`podman pull` then).
std::optional<PullOutcome> pull_through_service(const std::string& image, const PullOptions& options,
                                                const std::atomic<bool>& stop) {
    const auto started = Clock::now();
    auto r = pull_through_api(
        options.api_socket, image, options.deadline, [&stop] { return stop.load() || interrupt::requested(); },
        [&](const PullTally& tally) {
            if (options.on_progress) options.on_progress(image, tally.describe());
        });
    const Duration elapsed = std::chrono::duration_cast<Duration>(Clock::now() - started);
    if (interrupt::requested()) throw Error(ExitCode::interrupted, "pulling " + image + ": interrupted");
    switch (r.end) {
    case ApiPullEnd::pulled: return pulled(image, options, elapsed);
    case ApiPullEnd::failed: return refused(image, r.error, elapsed);
    case ApiPullEnd::cancelled: return failed(image, PullCause::cancelled, "stopped when another pull failed", elapsed);
    case ApiPullEnd::timed_out: return timed_out(image, elapsed);
    case ApiPullEnd::unreachable: break;
    }
    log::debug("{}: podman's API service unreachable ({}); pulling with podman pull", image, r.error);
    return std::nullopt;
}

PullOutcome pull_with_cli(const std::string& image, const PullOptions& options, const std::atomic<bool>& stop) {
    Duration left = remaining(options.deadline);
    if (left.count() <= 0) return failed(image, PullCause::timed_out, "no time left before the pull deadline", Duration{0});
    subprocess::Spec spec;
    spec.argv = {podman_program(), "pull", "--quiet", image};
    spec.env = options.environment;
    spec.timeout = left;
    spec.output_limit = 256 * 1024;
    spec.cancelled = [&stop] { return stop.load(); };
    auto r = subprocess::run(spec);
    if (r.interrupted) throw Error(ExitCode::interrupted, "podman pull " + image + ": interrupted");
    if (r.spawn_failed) throw Error(ExitCode::preflight, "podman pull: " + r.describe() + " (install podman)");
    if (r.cancelled) return failed(image, PullCause::cancelled, "stopped when another pull failed", r.elapsed);
    if (r.timed_out) return timed_out(image, r.elapsed);
    if (!r.ok()) return refused(image, r.err.empty() ? r.describe() : last_lines(r.err, 4), r.elapsed);
    return pulled(image, options, r.elapsed);
}

PullOutcome pull_one(const std::string& image, const PullOptions& options, const std::atomic<bool>& stop) {
    if (!options.api_socket.empty())
        if (auto outcome = pull_through_service(image, options, stop)) return *outcome;
    return pull_with_cli(image, options, stop);
}

}  // namespace

std::vector<PullOutcome> pull_images(const std::vector<std::string>& images, const PullOptions& options) {
    std::vector<std::string> distinct;
    for (const auto& image : images)
        if (std::find(distinct.begin(), distinct.end(), image) == distinct.end()) distinct.push_back(image);
    std::vector<PullOutcome> outcomes(distinct.size());
    std::atomic<bool> stop{false};
    auto failures = engine::run_bounded(distinct.size(), std::max<std::size_t>(1, options.parallelism), [&](std::size_t i) {
        const auto& image = distinct[i];
        if (stop.load() || interrupt::requested()) {
            outcomes[i] = failed(image, PullCause::cancelled, "not started: another pull failed", Duration{0});
            return;
        }
        if (options.on_start) options.on_start(image);
        outcomes[i] = pull_one(image, options, stop);
        if (!outcomes[i].pulled) stop = true;
        if (options.on_done) options.on_done(outcomes[i]);
    });
    engine::rethrow_failures(failures);
    return outcomes;
}

}  // namespace envctl::images
