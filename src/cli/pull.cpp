#include "envctl/cli/pull.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "envctl/compose/renderer.hpp"
#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/engine/podman_api.hpp"
#include "envctl/images/check.hpp"
#include "envctl/images/podman_images.hpp"
#include "envctl/images/pull.hpp"
#include "envctl/ui/progress.hpp"

namespace envctl::cli {
namespace {

constexpr std::size_t kParallelPulls = 4;
constexpr auto kPresenceBudget = std::chrono::seconds(60);

// Whether each distinct image is present, concurrently.
std::map<std::string, bool> presence(const std::vector<std::string>& images) {
    const Deadline deadline = Clock::now() + kPresenceBudget;
    std::vector<char> present(images.size(), 0);
    engine::rethrow_failures(engine::run_bounded(images.size(), engine::default_parallelism(), [&](std::size_t i) {
        present[i] = images::image_present(images[i], deadline) ? 1 : 0;
    }));
    std::map<std::string, bool> result;
    for (std::size_t i = 0; i < images.size(); ++i) result[images[i]] = present[i] != 0;
    return result;
}

// Refuses when a local image (built, never pulled) is absent, with its fix.
void refuse_absent_local(Context& ctx, const std::vector<std::string>& services) {
    if (services.empty()) return;
    auto missing = images::missing_images(ctx.settings(), ctx.stack(), services, Clock::now() + kPresenceBudget);
    if (missing.empty()) return;
    std::string msg = "images missing (local images are built, never pulled):";
    for (const auto& m : missing) msg += "\n  " + m.service + ": " + m.image + " -> " + m.fix;
    throw Error(ExitCode::preflight, msg);
}

}  // namespace

PullSummary pull_absent(Context& ctx, const std::vector<std::string>& services) {
    const auto& settings = ctx.settings();
    std::vector<std::string> distinct;
    std::map<std::string, std::vector<std::string>> needed_by;
    for (const auto& name : services) {
        auto image = compose::image_for(ctx.stack().get(name), settings.images);
        if (!needed_by.count(image)) distinct.push_back(image);
        needed_by[image].push_back(name);
    }
    auto present = presence(distinct);
    PullSummary summary;
    std::vector<std::string> absent;
    std::vector<std::string> local_absent_services;
    for (const auto& image : distinct) {
        if (present[image]) {
            ++summary.present;
        } else if (images::is_local_name(image)) {
            for (const auto& s : needed_by[image]) local_absent_services.push_back(s);
        } else {
            absent.push_back(image);
        }
    }
    refuse_absent_local(ctx, local_absent_services);
    if (absent.empty()) return summary;

    const Duration budget = settings.vars.duration("ENVCTL_PULL_TIMEOUT");
    ui::Progress progress(ui::detect_mode(ctx.quiet));
    progress.note(fmt::format("pulling {} absent image(s), at most {} at once, within {} (ENVCTL_PULL_TIMEOUT)",
                              absent.size(), kParallelPulls, format_duration(budget)));
    progress.set_services(absent);
    images::PullOptions options;
    options.environment = settings.child_environment();
    options.deadline = Clock::now() + budget;
    options.parallelism = kParallelPulls;
    // Through podman's API service, which tells each pull's progress (`podman pull` when it cannot start).
    auto api = engine::PodmanApi::start(options.environment, options.deadline);
    if (api) options.api_socket = api->socket();
    options.on_start = [&](const std::string& image) { progress.service(image, "pulling"); };
    options.on_progress = [&](const std::string& image, const std::string& status) { progress.tick(image, status); };
    options.on_done = [&](const images::PullOutcome& o) {
        if (o.pulled)
            progress.service(o.image, fmt::format("pulled {} in {}", images::format_size(o.size_bytes),
                                                  format_duration(o.elapsed)), true);
        else
            progress.service(o.image, std::string(images::to_string(o.error->cause)), false, true);
    };
    auto outcomes = images::pull_images(absent, options);
    progress.finish();

    std::string failures;
    for (const auto& o : outcomes) {
        if (o.pulled) {
            ++summary.pulled;
            continue;
        }
        if (o.error->cause == images::PullCause::cancelled) continue;  // another failure is the reason
        failures += fmt::format("\n  {}: {}: {}", fmt::join(needed_by[o.image], ", "), o.image, o.error->explain());
    }
    if (failures.empty() && summary.pulled + summary.present < distinct.size())
        failures = "\n  some pulls were cancelled without a failure of their own";
    if (!failures.empty())
        throw Error(ExitCode::preflight, "pulling failed; nothing was created, and no retry follows (a retry meets "
                                         "the same registry):" + failures);
    return summary;
}

}  // namespace envctl::cli
