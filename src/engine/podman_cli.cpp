#include "envctl/engine/podman_cli.hpp"

#include <deque>
#include <map>
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

std::vector<std::string> volumes_to_remove(const std::vector<std::string>& known,
                                           const std::vector<std::string>& labelled,
                                           const std::vector<std::string>& existing) {
    std::set<std::string> out(labelled.begin(), labelled.end());
    std::set<std::string> present(existing.begin(), existing.end());
    for (const auto& name : known) {
        if (present.count(name) != 0) out.insert(name);
    }
    return {out.begin(), out.end()};
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

std::vector<std::string> PodmanCli::volumes(bool all_of_host, Deadline deadline) const {
    std::vector<std::string> argv{"podman", "volume", "ls", "-q"};
    if (!all_of_host) argv.insert(argv.end(), {"--filter", project_filter(project_)});
    auto r = run(argv, deadline, all_of_host ? "listing volumes" : "listing the volumes of project " + project_,
                 ExitCode::internal);
    return output_lines(r.out);
}

void PodmanCli::remove_or_gone(const std::vector<std::string>& argv, const std::string& kind,
                               const std::vector<std::string>& names, Deadline deadline, const std::string& what) const {
    auto r = run_allowing_failure(argv, deadline, what);
    if (r.ok()) return;
    std::vector<std::string> left;
    for (const auto& name : names) {
        if (run_allowing_failure({"podman", kind, "exists", name}, deadline, "checking " + kind + " " + name).ok())
            left.push_back(name);
    }
    if (left.empty()) {
        log::debug("{}: already gone ({})", what, last_lines(r.err));
        return;
    }
    std::string detail = last_lines(r.err.empty() ? r.out : r.err);
    throw Error(ExitCode::internal, what + " failed (" + r.describe() + ")" + (detail.empty() ? "" : ":\n" + detail));
}

void PodmanCli::remove_containers(const std::vector<Removal>& containers, Deadline deadline) const {
    std::map<int, std::vector<std::string>> by_grace;
    for (const auto& c : containers) by_grace[c.stop_seconds].push_back(c.container);
    std::vector<std::pair<int, std::vector<std::string>>> calls(by_grace.begin(), by_grace.end());
    rethrow_failures(run_bounded(calls.size(), default_parallelism(), [&](std::size_t i) {
        const auto& [grace, names] = calls[i];
        std::vector<std::string> argv{"podman", "rm", "-f", "-i", "-t", std::to_string(grace)};
        argv.insert(argv.end(), names.begin(), names.end());
        remove_or_gone(argv, "container", names, deadline, "removing containers of project " + project_);
    }));
}

void PodmanCli::remove_volumes(const std::vector<std::string>& names, Deadline deadline) const {
    if (names.empty()) return;
    std::vector<std::string> argv{"podman", "volume", "rm", "-f"};
    argv.insert(argv.end(), names.begin(), names.end());
    remove_or_gone(argv, "volume", names, deadline, "removing the volumes of project " + project_);
}

void PodmanCli::remove_project(bool volumes, const std::vector<std::string>& known_volumes,
                               const StopSeconds& stop_seconds, Deadline deadline) const {
    std::vector<std::string> volume_names;
    // Two rounds of two concurrent calls: the containers go (each with its grace) while the volumes are listed;
    // then the network and the volumes, which the containers no longer hold.
    in_parallel(
        [&] {
            std::vector<Removal> removals;
            for (const auto& c : list(deadline)) removals.push_back({c.name, stop_seconds(c.name)});
            remove_containers(removals, deadline);
        },
        [&] {
            if (!volumes) return;
            volume_names =
                volumes_to_remove(known_volumes, this->volumes(false, deadline), this->volumes(true, deadline));
        });
    in_parallel(
        [&] {
            const std::string network = network_name(project_);
            remove_or_gone({"podman", "network", "rm", "-f", network}, "network", {network}, deadline,
                           "removing the network of project " + project_);
        },
        [&] {
            if (volumes) remove_volumes(volume_names, deadline);
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

int PodmanCli::stream_logs(const std::string& container, const LogOptions& options,
                           const std::function<void(const std::string&)>& on_line, Deadline deadline) const {
    std::vector<std::string> argv = {"podman", "logs", "--tail", std::to_string(options.tail)};
    if (options.follow) argv.push_back("--follow");
    if (!options.since.empty()) argv.insert(argv.end(), {"--since", options.since});
    if (options.timestamps) argv.push_back("--timestamps");
    argv.push_back(container);
    const std::string what = "reading the log of " + container;
    subprocess::Spec s = spec(argv, deadline, what);
    s.no_deadline = options.follow;  // --follow: the one command without a deadline (Ctrl-C or the container's exit)
    s.on_line = [&](subprocess::Stream, const std::string& line) { on_line(line); };
    subprocess::Result r = subprocess::run(s);
    if (r.interrupted) throw Error(ExitCode::interrupted, what + ": interrupted");
    throw_unless_finished(r, what);
    if (!r.ok() && !options.follow)
        throw Error(ExitCode::internal, what + " failed (" + r.describe() + "):\n" + last_lines(r.err));
    return r.exit_code;
}

}  // namespace envctl::engine
