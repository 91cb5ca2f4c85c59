#pragma once
// The per-project lock held by mutating commands (up, down, reset, migrate). It is an flock on
// <lock folder>/<project>.lock (the folder: lock_dir.hpp), keyed by the project name, so two checkouts on one host that
// would drive the same containers exclude each other too. The file records the holder's PID and command, so a
// second command that gives up after --lock-timeout can name them (exit 8).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "envctl/core/duration.hpp"

namespace envctl::orchestration {

struct LockHolder {
    long pid = 0;
    std::string command;
};

class ProjectLock {
public:
    // Waits up to `timeout` for the lock; throws Error(locked) naming the holder, or Error(interrupted).
    // `on_wait` is called once when the lock is busy (to say "waiting for PID N (envctl up)").
    static ProjectLock acquire(const std::string& project, const std::string& command, Duration timeout,
                               const std::function<void(const LockHolder&)>& on_wait = {});
    // The lock folder (lock_dir.hpp): ENVCTL_LOCK_DIR, else $XDG_RUNTIME_DIR/envctl, else a per-user fallback.
    static std::filesystem::path lock_dir();
    // Who holds the project's lock now, if anyone.
    static std::optional<LockHolder> holder(const std::string& project);

    ProjectLock(ProjectLock&& other) noexcept;
    ProjectLock& operator=(ProjectLock&&) = delete;
    ProjectLock(const ProjectLock&) = delete;
    ~ProjectLock();

private:
    explicit ProjectLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace envctl::orchestration
