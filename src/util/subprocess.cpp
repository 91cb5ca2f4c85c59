#include "envctl/util/subprocess.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include "envctl/core/error.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/redactor.hpp"

extern char** environ;

namespace envctl::subprocess {
namespace {

// Marks every descriptor above stderr close-on-exec (async-signal-safe: runs between fork and exec). The status
// pipe that reports a failed exec is close-on-exec already, so it still works until the exec.
void close_inherited_descriptors() {
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
    const long max = ::sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); ++fd) {
        int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

constexpr auto kPollStep = std::chrono::milliseconds(50);
// After the program itself exits, how long to keep reading output its leftover children may still write.
constexpr auto kDrainAfterExit = std::chrono::milliseconds(300);

bool is_executable(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::string> lookup(const std::string& name, const std::string& path_var) {
    if (name.find('/') != std::string::npos) return is_executable(name) ? std::optional(name) : std::nullopt;
    std::size_t start = 0;
    while (start <= path_var.size()) {
        std::size_t end = path_var.find(':', start);
        if (end == std::string::npos) end = path_var.size();
        std::string dir = path_var.substr(start, end - start);
        if (dir.empty()) dir = ".";
        std::string candidate = dir + "/" + name;
        if (is_executable(candidate)) return candidate;
        start = end + 1;
    }
    return std::nullopt;
}

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        std::array<int, 2> fds{};
        if (::pipe2(fds.data(), O_CLOEXEC) != 0)
            throw Error(ExitCode::internal, std::string("pipe: ") + std::strerror(errno));
        read_end = fds[0];
        write_end = fds[1];
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() {
        if (read_end >= 0) ::close(read_end);
        read_end = -1;
    }
    void close_write() {
        if (write_end >= 0) ::close(write_end);
        write_end = -1;
    }
};

// Collects one stream: bounded capture plus complete lines for the callback.
struct Collector {
    Stream stream;
    std::size_t limit;
    std::string captured;
    std::string partial;
    bool truncated = false;
    const std::function<void(Stream, const std::string&)>* on_line;

    void add(const char* data, std::size_t n) {
        std::size_t room = captured.size() < limit ? limit - captured.size() : 0;
        captured.append(data, std::min(room, n));
        if (n > room) truncated = true;
        if (*on_line) {
            partial.append(data, n);
            std::size_t pos;
            while ((pos = partial.find('\n')) != std::string::npos) {
                (*on_line)(stream, Redactor::global().redact(partial.substr(0, pos)));
                partial.erase(0, pos + 1);
            }
        }
    }
    void finish() {
        if (*on_line && !partial.empty()) (*on_line)(stream, Redactor::global().redact(partial));
        partial.clear();
    }
};

std::vector<std::string> flatten(const Environment& env) {
    std::vector<std::string> out;
    out.reserve(env.size());
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

// The outcome of spawn(): the child's pid, or why it never ran.
struct Spawned {
    pid_t pid = -1;
    std::string error;  // set when pid is -1: "not found: x", "cannot run x: ..."
};

// Starts spec.argv in its own process group (so a deadline or Ctrl-C can end it and everything it started), with
// stdin from /dev/null and stdout/stderr on the given descriptors (/dev/null when -1). Returns once the program
// is running, or failed to exec.
Spawned spawn(const Spec& spec, int out_fd, int err_fd) {
    Spawned spawned;
    // Everything the child needs is prepared before fork: after fork only async-signal-safe calls.
    std::string path_var;
    if (spec.env) {
        auto it = spec.env->find("PATH");
        path_var = it != spec.env->end() ? it->second : "/usr/local/bin:/usr/bin:/bin";
    } else {
        const char* p = std::getenv("PATH");
        path_var = p ? p : "/usr/local/bin:/usr/bin:/bin";
    }
    auto program = lookup(spec.argv[0], path_var);
    if (!program) {
        spawned.error = "not found: " + spec.argv[0];
        return spawned;
    }
    std::vector<char*> argv;
    for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    std::vector<char*> envp;
    if (spec.env) {
        env_strings = flatten(*spec.env);
        for (auto& e : env_strings) envp.push_back(e.data());
        envp.push_back(nullptr);
    }
    char* const* child_env = spec.env ? envp.data() : environ;

    Pipe status;
    int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) throw Error(ExitCode::internal, std::string("/dev/null: ") + std::strerror(errno));
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(devnull);
        throw Error(ExitCode::internal, std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(devnull, STDIN_FILENO);
        ::dup2(out_fd >= 0 ? out_fd : devnull, STDOUT_FILENO);
        ::dup2(err_fd >= 0 ? err_fd : devnull, STDERR_FILENO);
        // Nothing else of envctl's reaches the child: a listening socket, or a lock whose holder podman's
        // long-lived helpers (conmon, aardvark-dns) would otherwise keep for as long as they run.
        close_inherited_descriptors();
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        ::sigaction(SIGINT, &dfl, nullptr);
        ::sigaction(SIGTERM, &dfl, nullptr);
        ::sigaction(SIGPIPE, &dfl, nullptr);
        if (spec.cwd && ::chdir(spec.cwd->c_str()) != 0) {
            int e = errno;
            (void)!::write(status.write_end, &e, sizeof e);
            ::_exit(127);
        }
        ::execve(program->c_str(), argv.data(), child_env);
        int e = errno;
        (void)!::write(status.write_end, &e, sizeof e);
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also in the parent, so the group exists before we might signal it
    ::close(devnull);
    status.close_write();
    int exec_errno = 0;
    ssize_t got;
    do {
        got = ::read(status.read_end, &exec_errno, sizeof exec_errno);
    } while (got < 0 && errno == EINTR);
    if (got == static_cast<ssize_t>(sizeof exec_errno)) {
        ::waitpid(pid, nullptr, 0);
        spawned.error = "cannot run " + spec.argv[0] + ": " + std::strerror(exec_errno);
        return spawned;
    }
    spawned.pid = pid;
    return spawned;
}

}  // namespace

Environment current_environment() {
    Environment env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq == std::string::npos) continue;
        env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return env;
}

std::optional<std::string> find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    return lookup(name, path ? path : "/usr/local/bin:/usr/bin:/bin");
}

std::string Result::describe() const {
    if (spawn_failed) return spawn_error;
    if (interrupted) return "interrupted";
    if (cancelled) return "cancelled";
    if (timed_out) return "timed out after " + format_duration(elapsed);
    if (term_signal != 0) return "killed by signal " + std::to_string(term_signal);
    return "exit " + std::to_string(exit_code);
}

Result run(const Spec& spec) {
    Result result;
    const auto started = Clock::now();
    if (spec.argv.empty()) {
        result.spawn_failed = true;
        result.spawn_error = "no program given";
        return result;
    }

    Pipe out, err;
    Spawned spawned = spawn(spec, out.write_end, err.write_end);
    out.close_write();
    err.close_write();
    if (spawned.pid < 0) {
        result.spawn_failed = true;
        result.spawn_error = spawned.error;
        return result;
    }
    const pid_t pid = spawned.pid;

    Collector collect_out{Stream::out, spec.output_limit, {}, {}, false, &spec.on_line};
    Collector collect_err{Stream::err, spec.output_limit, {}, {}, false, &spec.on_line};
    const auto deadline = started + spec.timeout;
    bool exited = false;
    int wait_status = 0;
    std::optional<Clock::time_point> kill_sent;  // when SIGTERM went to the group
    std::optional<Clock::time_point> exited_at;
    bool killed_hard = false;

    auto signal_group = [&](int sig) { ::kill(-pid, sig); };

    while (true) {
        std::array<pollfd, 2> fds{{{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}}};
        int n = ::poll(fds.data(), fds.size(), static_cast<int>(kPollStep.count()));
        if (n > 0) {
            std::array<char, 8192> buf{};
            for (std::size_t i = 0; i < fds.size(); ++i) {
                if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                ssize_t r = ::read(fds[i].fd, buf.data(), buf.size());
                Pipe& p = i == 0 ? out : err;
                Collector& c = i == 0 ? collect_out : collect_err;
                if (r > 0) c.add(buf.data(), static_cast<std::size_t>(r));
                else if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) p.close_read();
            }
        }
        if (!exited) {
            pid_t w = ::waitpid(pid, &wait_status, WNOHANG);
            if (w == pid) {
                exited = true;
                exited_at = Clock::now();
            }
        }
        const bool pipes_closed = out.read_end < 0 && err.read_end < 0;
        if (exited && (pipes_closed || Clock::now() - *exited_at > kDrainAfterExit)) break;

        auto now = Clock::now();
        if (!kill_sent && !exited) {
            if (interrupt::requested()) {
                result.interrupted = true;
                signal_group(SIGTERM);
                kill_sent = now;
            } else if (!spec.no_deadline && now >= deadline) {
                result.timed_out = true;
                signal_group(SIGTERM);
                kill_sent = now;
            } else if (spec.cancelled && spec.cancelled()) {
                result.cancelled = true;
                signal_group(SIGTERM);
                kill_sent = now;
            }
        }
        if (kill_sent && !killed_hard && now - *kill_sent >= spec.kill_grace) {
            signal_group(SIGKILL);
            killed_hard = true;
        }
        // A child ignoring SIGTERM that left its pipes open after exit is covered by kDrainAfterExit.
    }
    // Whatever the program left behind in its group goes with it.
    signal_group(SIGKILL);
    if (!exited) ::waitpid(pid, &wait_status, 0);
    collect_out.finish();
    collect_err.finish();

    if (WIFEXITED(wait_status)) result.exit_code = WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) result.term_signal = WTERMSIG(wait_status);
    result.out = Redactor::global().redact(collect_out.captured);
    result.err = Redactor::global().redact(collect_err.captured);
    result.truncated = collect_out.truncated || collect_err.truncated;
    result.elapsed = std::chrono::duration_cast<Duration>(Clock::now() - started);
    return result;
}

Background Background::start(const Spec& spec) {
    if (spec.argv.empty()) throw Error(ExitCode::internal, "no program given");
    Spawned spawned = spawn(spec, -1, -1);
    if (spawned.pid < 0) throw Error(ExitCode::preflight, spawned.error);
    return Background(spawned.pid, spec.kill_grace);
}

Background::Background(Background&& other) noexcept : pid_(other.pid_), kill_grace_(other.kill_grace_) {
    other.pid_ = -1;
}

Background& Background::operator=(Background&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = other.pid_;
        kill_grace_ = other.kill_grace_;
        other.pid_ = -1;
    }
    return *this;
}

Background::~Background() { stop(); }

bool Background::running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        ::kill(-pid_, SIGKILL);  // whatever it left in its group
        pid_ = -1;
        return false;
    }
    return true;
}

void Background::stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    const auto give_up = Clock::now() + kill_grace_;
    bool reaped = false;
    while (!reaped) {
        reaped = ::waitpid(pid_, nullptr, WNOHANG) == pid_;
        if (reaped || Clock::now() >= give_up) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(-pid_, SIGKILL);
    if (!reaped) ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

}  // namespace envctl::subprocess
