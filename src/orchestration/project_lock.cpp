#include "envctl/orchestration/project_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "envctl/core/error.hpp"
#include "envctl/orchestration/lock_dir.hpp"
#include "envctl/util/interrupt.hpp"

namespace envctl::orchestration {
namespace {

std::filesystem::path lock_path(const std::string& project) { return ProjectLock::lock_dir() / (project + ".lock"); }

std::optional<LockHolder> read_holder(int fd) {
    char buf[512] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return std::nullopt;
    std::string text(buf, static_cast<std::size_t>(n));
    auto space = text.find(' ');
    LockHolder h;
    h.pid = std::strtol(text.c_str(), nullptr, 10);
    if (space != std::string::npos) h.command = text.substr(space + 1);
    while (!h.command.empty() && (h.command.back() == '\n' || h.command.back() == ' ')) h.command.pop_back();
    if (h.pid <= 0) return std::nullopt;
    return h;
}

}  // namespace

std::filesystem::path ProjectLock::lock_dir() { return current_lock_dir(); }

std::optional<LockHolder> ProjectLock::holder(const std::string& project) {
    int fd = ::open(lock_path(project).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return std::nullopt;
    std::optional<LockHolder> h;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) h = read_holder(fd);
    ::close(fd);
    return h;
}

ProjectLock ProjectLock::acquire(const std::string& project, const std::string& command, Duration timeout,
                                 const std::function<void(const LockHolder&)>& on_wait) {
    const auto dir = lock_dir();
    const auto path = dir / (project + ".lock");
    const int dir_fd = open_lock_dir(dir);
    // O_NOFOLLOW: a symlink planted in the folder is refused, never followed.
    int fd = ::openat(dir_fd, path.filename().c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    const int open_errno = errno;
    ::close(dir_fd);
    if (fd < 0)
        throw Error(ExitCode::internal, "cannot open the project lock " + path.string() + ": " + std::strerror(open_errno));
    const auto deadline = Clock::now() + timeout;
    bool announced = false;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            int saved = errno;
            ::close(fd);
            throw Error(ExitCode::internal, "cannot lock " + path.string() + ": " + std::strerror(saved));
        }
        auto h = read_holder(fd);
        if (!announced && on_wait && h) {
            on_wait(*h);
            announced = true;
        }
        if (interrupt::requested()) {
            ::close(fd);
            throw Error(ExitCode::interrupted, "interrupted while waiting for the project lock");
        }
        if (Clock::now() >= deadline) {
            ::close(fd);
            std::string who = h ? "PID " + std::to_string(h->pid) + " (" + h->command + ")" : "another envctl";
            throw Error(ExitCode::locked, "project '" + project + "' is locked by " + who + " after waiting " +
                                              format_duration(timeout) + " (--lock-timeout); lock file " + path.string());
        }
        interrupt::sleep_for(std::chrono::milliseconds(100));
    }
    std::string record = std::to_string(::getpid()) + " " + command + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, record.data(), record.size(), 0) < 0) {
        // The lock is held either way; only the holder's description is missing.
    }
    return ProjectLock(fd);
}

ProjectLock::ProjectLock(ProjectLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

ProjectLock::~ProjectLock() {
    if (fd_ >= 0) {
        (void)!::ftruncate(fd_, 0);
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

}  // namespace envctl::orchestration
