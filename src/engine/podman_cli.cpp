#include "envctl/engine/podman_cli.hpp"

#include <deque>
#include <set>
#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/engine/podman_json.hpp"
#include "envctl/engine/service_spec.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/output_tail.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::engine {
namespace {

constexpr std::size_t kExecOutputLimit = 64 * 1024;

// The last few lines of a program's error output, for a one-paragraph error message.
void throw_unless_finished(const subprocess::Result& r, const std::string& what) {
    if (r.interrupted) throw Error(ExitCode::interrupted, what + ": interrupted");
    if (r.timed_out) throw Error(ExitCode::timed_out, what + ": " + r.describe());
    if (r.spawn_failed) {
        throw Error(ExitCode::preflight, what + ": " + r.describe() + " (install podman and podman-compose)");
    }
}

std::string project_filter(const std::string& project) {
    return std::string("label=") + kProjectLabel + "=" + project;
}

// `podman network|volume create` arguments up to the name, with the labels podman-compose gives them.
std::vector<std::string> create_labelled(const std::string& kind, const std::string& project, const std::string& name) {
    return {"podman", kind, "create", "--label", std::string(kProjectLabel) + "=" + project,
            "--label", "com.docker.compose.project=" + project, name};
}

}  // namespace

std::vector<std::string> output_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        if (end > begin) out.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return out;
}

PodmanCli::PodmanCli(std::string project, subprocess::Environment environment)
    : project_(std::move(project)), environment_(std::move(environment)) {}

subprocess::Spec PodmanCli::spec(std::vector<std::string> argv, Deadline deadline, const std::string& what) const {
    Duration left = remaining(deadline);
    if (left.count() <= 0) throw Error(ExitCode::timed_out, what + ": no time left before its deadline");
    subprocess::Spec s;
    s.argv = std::move(argv);
    s.env = environment_;
    s.timeout = left;
    return s;
}

subprocess::Result PodmanCli::run_allowing_failure(const std::vector<std::string>& argv, Deadline deadline,
                                                   const std::string& what) const {
    subprocess::Spec s = spec(argv, deadline, what);
    log::debug("{}: {}", what, fmt::join(argv, " "));
    subprocess::Result r = subprocess::run(s);
    throw_unless_finished(r, what);
    return r;
}

subprocess::Result PodmanCli::run(const std::vector<std::string>& argv, Deadline deadline, const std::string& what,
                                  ExitCode failure_code) const {
    subprocess::Result r = run_allowing_failure(argv, deadline, what);
    if (!r.ok()) {
        std::string detail = last_lines(r.err.empty() ? r.out : r.err);
        throw Error(failure_code, what + " failed (" + r.describe() + ")" + (detail.empty() ? "" : ":\n" + detail));
    }
    return r;
}

std::vector<ContainerInfo> PodmanCli::list(Deadline deadline) const {
    auto r = run({"podman", "ps", "-a", "--format", "json", "--filter", project_filter(project_)}, deadline,
                 "listing the containers of project " + project_, ExitCode::preflight);
    return parse_ps_json(r.out);
}

void PodmanCli::remove_containers(const std::vector<std::string>& names, int stop_seconds, Deadline deadline) const {
    if (names.empty()) return;
    std::vector<std::string> argv{"podman", "rm", "-f", "-i", "-t", std::to_string(stop_seconds)};
    argv.insert(argv.end(), names.begin(), names.end());
    run(argv, deadline, "removing containers of project " + project_, ExitCode::internal);
}

void PodmanCli::remove_project(bool volumes, const std::vector<std::string>& known_volumes, int stop_seconds,
                               Deadline deadline) const {
    const std::string filter = project_filter(project_);
    std::set<std::string> volume_names(known_volumes.begin(), known_volumes.end());
    // Two rounds of two concurrent calls: the containers go while the volumes are listed; then the network and
    // the volumes, which the containers no longer hold.
    in_parallel(
        [&] {
            run({"podman", "rm", "-f", "-t", std::to_string(stop_seconds), "--filter", filter}, deadline,
                "removing the containers of project " + project_, ExitCode::internal);
        },
        [&] {
            if (!volumes) return;
            auto r = run({"podman", "volume", "ls", "-q", "--filter", filter}, deadline,
                         "listing the volumes of project " + project_, ExitCode::internal);
            for (auto& name : output_lines(r.out)) volume_names.insert(std::move(name));
        });
    in_parallel(
        [&] {
            run({"podman", "network", "rm", "-f", network_name(project_)}, deadline,
                "removing the network of project " + project_, ExitCode::internal);
        },
        [&] {
            if (!volumes || volume_names.empty()) return;
            std::vector<std::string> argv{"podman", "volume", "rm", "-f"};
            argv.insert(argv.end(), volume_names.begin(), volume_names.end());
            // A known volume that was never created is not an error: `volume rm -f` ignores missing ones.
            run(argv, deadline, "removing the volumes of project " + project_, ExitCode::internal);
        });
}

void PodmanCli::ensure_network(Deadline deadline) const {
    const std::string name = network_name(project_);
    // Created first, asked after: after a teardown (the usual case) it is one call, not two. A failure because it
    // exists (made by an earlier up, another envctl or podman-compose) is then no failure.
    auto r = run_allowing_failure(create_labelled("network", project_, name), deadline, "creating network " + name);
    if (r.ok()) return;
    if (run_allowing_failure({"podman", "network", "exists", name}, deadline, "checking network " + name).ok()) return;
    throw Error(ExitCode::preflight, "creating network " + name + " failed (" + r.describe() + "):\n" + last_lines(r.err));
}

void PodmanCli::ensure_volumes(const std::vector<std::string>& names, Deadline deadline) const {
    if (names.empty()) return;
    auto listed = run({"podman", "volume", "ls", "-q"}, deadline, "listing volumes", ExitCode::preflight);
    auto existing_lines = output_lines(listed.out);
    std::set<std::string> existing(existing_lines.begin(), existing_lines.end());
    std::vector<std::string> missing;
    for (const auto& n : names) {
        if (existing.count(n) == 0) missing.push_back(n);
    }
    auto failures = run_bounded(missing.size(), default_parallelism(), [&](std::size_t i) {
        const std::string& name = missing[i];
        auto r = run_allowing_failure(create_labelled("volume", project_, name), deadline, "creating volume " + name);
        if (r.ok()) return;
        if (run_allowing_failure({"podman", "volume", "exists", name}, deadline, "checking volume " + name).ok()) return;
        throw Error(ExitCode::preflight, "creating volume " + name + " failed (" + r.describe() + "):\n" + last_lines(r.err));
    });
    rethrow_failures(failures);
}

void PodmanCli::start(const std::vector<StartJob>& jobs, Deadline deadline) const {
    auto failures = run_bounded(jobs.size(), default_parallelism(), [&](std::size_t i) {
        const StartJob& job = jobs[i];
        if (job.run_argv.empty()) {
            run({"podman", "start", job.container}, deadline, "starting " + job.container, ExitCode::service_failed);
            return;
        }
        subprocess::Environment env = environment_;
        for (const auto& [key, value] : job.run_environment) env[key] = value;
        PodmanCli(project_, std::move(env)).run(job.run_argv, deadline, "starting " + job.container,
                                                ExitCode::service_failed);
    });
    rethrow_failures(failures);
}

std::vector<std::string> PodmanCli::log_tail(const std::string& container, int lines, Deadline deadline) const {
    // Lines in arrival order across stdout and stderr (the container's two streams), already redacted.
    std::deque<std::string> kept;
    auto max_lines = static_cast<std::size_t>(lines < 0 ? 0 : lines);
    subprocess::Spec s = spec({"podman", "logs", "--tail", std::to_string(lines), container}, deadline,
                              "reading the log of " + container);
    s.on_line = [&](subprocess::Stream, const std::string& line) {
        kept.push_back(line);
        if (kept.size() > max_lines) kept.pop_front();
    };
    subprocess::Result r = subprocess::run(s);
    throw_unless_finished(r, "reading the log of " + container);
    if (!r.ok()) {
        throw Error(ExitCode::internal, "reading the log of " + container + " failed (" + r.describe() + "):\n" +
                                            last_lines(r.err));
    }
    return {kept.begin(), kept.end()};
}

ExecResult PodmanCli::exec(const std::string& container, const std::vector<std::string>& argv,
                           Deadline deadline) const {
    std::vector<std::string> full{"podman", "exec", container};
    full.insert(full.end(), argv.begin(), argv.end());
    subprocess::Spec s = spec(full, deadline, "running a command in " + container);
    s.output_limit = kExecOutputLimit;
    subprocess::Result r = subprocess::run(s);
    if (r.interrupted) throw Error(ExitCode::interrupted, "running a command in " + container + ": interrupted");
    if (r.spawn_failed) throw_unless_finished(r, "running a command in " + container);
    ExecResult out;
    out.exit_code = r.exit_code;
    out.timed_out = r.timed_out;
    out.output = Redactor::global().redact(r.out + r.err);
    if (out.output.size() > kExecOutputLimit) out.output.resize(kExecOutputLimit);
    return out;
}

int PodmanCli::follow_logs(const std::string& container, int tail,
                           const std::function<void(const std::string&)>& on_line) const {
    subprocess::Spec s;
    s.argv = {"podman", "logs", "--follow", "--tail", std::to_string(tail), container};
    s.env = environment_;
    s.no_deadline = true;
    s.on_line = [&](subprocess::Stream, const std::string& line) { on_line(line); };
    subprocess::Result r = subprocess::run(s);
    if (r.interrupted) throw Error(ExitCode::interrupted, "following the log of " + container + ": interrupted");
    throw_unless_finished(r, "following the log of " + container);
    return r.exit_code;
}

}  // namespace envctl::engine
