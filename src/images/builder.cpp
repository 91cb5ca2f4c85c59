#include "envctl/images/builder.hpp"

#include <deque>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/images/podman_images.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/util/output_tail.hpp"
#include "work_dir.hpp"

namespace envctl::images {
namespace {

namespace fs = std::filesystem;

constexpr auto kInspectTimeout = std::chrono::seconds(30);
// mmdebstrap unmounts and removes its root when it gets SIGTERM: give it time before SIGKILL.
constexpr auto kMmdebstrapGrace = std::chrono::seconds(30);
constexpr std::size_t kTailLines = 15;

std::string hook_option(HookStage stage) {
    return stage == HookStage::extract ? "--extract-hook=" : "--customize-hook=";
}

// podman import prints "sha256:<id>", podman inspect "<id>": results carry the bare id.
std::string bare_id(const std::string& id) { return id.rfind("sha256:", 0) == 0 ? id.substr(7) : id; }

std::string short_id(const std::string& id) { return bare_id(id).substr(0, 12); }

[[noreturn]] void step_failed(const Recipe& recipe, const std::string& step, const subprocess::Result& r,
                              const std::string& detail) {
    if (r.interrupted) throw Error(ExitCode::interrupted, fmt::format("building {}: interrupted during {}", recipe.image, step));
    std::string fix = r.spawn_failed && step == "mmdebstrap" ? " (apt-get install mmdebstrap)" : "";
    throw Error(r.spawn_failed ? ExitCode::preflight : ExitCode::internal,
                fmt::format("building {} failed at step {} ({}){}; nothing was tagged{}{}", recipe.image, step,
                            r.describe(), fix, detail.empty() ? "" : ":\n", detail));
}

// mmdebstrap's phase lines ("I: installing remaining packages inside the chroot...") are progress; everything
// else (apt, dpkg, hooks) is detail. The last lines are kept for the error message.
struct MmdebstrapOutput {
    const Recipe* recipe;
    std::deque<std::string> tail;
    std::string phase;

    void line(const std::string& text) {
        bool phase_line = text.rfind("I: ", 0) == 0 || text.rfind("W: ", 0) == 0 || text.rfind("E: ", 0) == 0;
        if (phase_line) {
            log::info("{}:   {}", recipe->name, text);
            if (text.rfind("I: ", 0) == 0) phase = text.substr(3);
        } else {
            log::debug("{}:   {}", recipe->name, text);
        }
        if (text.empty()) return;
        tail.push_back(text);
        if (tail.size() > kTailLines) tail.pop_front();
    }
    std::string summary() const {
        std::string out = phase.empty() ? "" : "last phase: " + phase + "\n";
        for (const auto& l : tail) out += l + "\n";
        if (!out.empty()) out.pop_back();
        return out;
    }
};

std::string reason_to_build(const std::optional<ImageInfo>& existing, const std::string& hash, bool force) {
    if (!existing) return "not present";
    auto it = existing->labels.find(std::string(kRecipeLabel));
    if (it == existing->labels.end()) return "present without a recipe label: not made by `envctl images build`";
    if (it->second != hash) return "its recipe changed (" + it->second.substr(0, 12) + " -> " + hash.substr(0, 12) + ")";
    return force ? "--force" : "";
}

}  // namespace

std::string to_string(LocalState s) {
    switch (s) {
    case LocalState::absent: return "absent";
    case LocalState::current: return "current";
    case LocalState::stale: return "stale";
    }
    return "unknown";
}

std::vector<std::string> mmdebstrap_argv(const Recipe& recipe, const fs::path& work) {
    if (work.string().find_first_of(" \t\n") != std::string::npos)
        throw usage_error("the build folder " + work.string() + " contains a blank; mmdebstrap's hooks cannot take it");
    std::vector<std::string> argv{"mmdebstrap", "--verbose", "--variant=" + recipe.variant};
    if (!recipe.packages.empty()) argv.push_back(fmt::format("--include={}", fmt::join(recipe.packages, ",")));
    for (const auto& o : recipe.dpkg_options) argv.push_back("--dpkgopt=" + o);
    // The files go in first, at the first stage mmdebstrap runs for this variant (extract has no customize).
    const auto files_stage = recipe.variant == "extract" ? HookStage::extract : HookStage::customize;
    if (!recipe.files.empty()) argv.push_back(hook_option(files_stage) + "sync-in " + (work / "overlay").string() + " /");
    if (recipe.needs_host_ca)
        argv.push_back(hook_option(files_stage) + "upload " + (work / "host-ca.crt").string() + " " + std::string(kHostCaPath));
    for (const auto& h : recipe.hooks) argv.push_back(hook_option(h.stage) + h.command);
    if (recipe.needs_host_ca) argv.push_back(hook_option(files_stage) + "rm -f \"$1" + std::string(kHostCaPath) + "\"");
    argv.emplace_back(kSuite);  // no MIRROR: deb.debian.org with -updates and -security, as the host's apt sources
    argv.push_back((work / "rootfs.tar").string());
    return argv;
}

std::vector<std::string> import_argv(const Recipe& recipe, const std::string& hash, long build_seconds,
                                     const fs::path& tarball) {
    std::vector<std::string> argv{"podman", "import", "--message", "envctl images build " + recipe.name};
    for (const auto& c : recipe.changes) {
        argv.push_back("--change");
        argv.push_back(c);
    }
    argv.push_back("--change");
    argv.push_back(fmt::format("LABEL {}={}", kRecipeLabel, hash));
    argv.push_back("--change");
    argv.push_back(fmt::format("LABEL {}={}", kBuildSecondsLabel, build_seconds));
    argv.push_back(tarball.string());
    argv.push_back(recipe.image);
    return argv;
}

LocalState local_state(const Recipe& recipe, Deadline deadline) {
    auto info = inspect_image(recipe.image, deadline);
    if (!info) return LocalState::absent;
    auto it = info->labels.find(std::string(kRecipeLabel));
    return it != info->labels.end() && it->second == recipe_hash(recipe) ? LocalState::current : LocalState::stale;
}

BuildResult build(const Recipe& recipe, const BuildOptions& options) {
    const auto started = Clock::now();
    if (!is_local_name(recipe.image))
        throw Error(ExitCode::internal, fmt::format("refusing to build {}: local images live under localhost/ "
                                                    "({}NAME:TAG), never under an upstream name", recipe.image,
                                                    kLocalPrefix));
    BuildResult result;
    result.image = recipe.image;
    result.recipe_hash = recipe_hash(recipe);

    auto existing = inspect_image(recipe.image, Clock::now() + kInspectTimeout);
    std::string reason = reason_to_build(existing, result.recipe_hash, options.force);
    if (reason.empty()) {
        result.image_id = bare_id(existing->id);
        result.elapsed = std::chrono::duration_cast<Duration>(Clock::now() - started);
        log::info("{}: up to date (recipe {}, image {})", recipe.image, result.recipe_hash.substr(0, 12),
                  short_id(existing->id));
        return result;
    }
    if (!subprocess::find_program("mmdebstrap"))
        throw Error(ExitCode::preflight, "mmdebstrap is not installed: apt-get install mmdebstrap (it makes the local "
                                         "images' root file systems from the Debian mirror)");
    podman_program();
    log::info("{}: building ({}): {}", recipe.image, reason, recipe.summary);

    WorkDir work(options.work_root.value_or(fs::temp_directory_path()), recipe.name);
    if (!recipe.files.empty()) work.write_overlay(recipe.files);
    if (recipe.needs_host_ca) work.copy_host_ca();

    log::info("{}: [1/2] mmdebstrap: Debian {} root ({} variant) with {}", recipe.image, kSuite, recipe.variant,
              fmt::join(recipe.packages, ", "));
    MmdebstrapOutput output{&recipe, {}, {}};
    subprocess::Spec spec;
    spec.argv = mmdebstrap_argv(recipe, work.path());
    spec.timeout = recipe.build_timeout;
    spec.kill_grace = kMmdebstrapGrace;
    auto env = subprocess::current_environment();
    env["TMPDIR"] = work.path().string();  // mmdebstrap's own root goes into the folder envctl removes
    spec.env = env;
    spec.on_line = [&output](subprocess::Stream, const std::string& line) { output.line(line); };
    auto made = subprocess::run(spec);
    if (!made.ok()) step_failed(recipe, "mmdebstrap", made, output.summary());
    auto build_seconds = std::chrono::duration_cast<std::chrono::seconds>(made.elapsed).count();

    std::error_code size_error;
    auto tar_bytes = fs::file_size(work.path() / "rootfs.tar", size_error);
    log::info("{}: [2/2] podman import ({} MB root file system)", recipe.image, size_error ? 0 : tar_bytes / (1024 * 1024));
    subprocess::Spec import;
    import.argv = import_argv(recipe, result.recipe_hash, static_cast<long>(build_seconds), work.path() / "rootfs.tar");
    import.argv[0] = podman_program();
    import.timeout = options.import_timeout;
    auto imported = subprocess::run(import);
    if (!imported.ok()) step_failed(recipe, "podman import", imported, last_lines(imported.err));
    result.image_id = bare_id(last_lines(imported.out, 1));
    result.outcome = BuildOutcome::built;

    if (existing && bare_id(existing->id) != result.image_id) {
        std::string why;
        if (remove_image(existing->id, Clock::now() + kInspectTimeout, &why))
            log::debug("{}: removed the previous image {}", recipe.image, short_id(existing->id));
        else
            log::info("{}: kept the previous image {} ({})", recipe.image, short_id(existing->id), why);
    }
    result.elapsed = std::chrono::duration_cast<Duration>(Clock::now() - started);
    log::info("{}: built in {} (image {})", recipe.image, format_duration(result.elapsed), short_id(result.image_id));
    return result;
}

}  // namespace envctl::images
