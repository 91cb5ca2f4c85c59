#include "envctl/orchestration/lock_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "envctl/core/error.hpp"

namespace envctl::orchestration {
namespace {

std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}

bool set(const std::optional<std::string>& v) { return v && !v->empty(); }

// /run/user/<uid> exists, is a real folder and belongs to the user.
bool own_runtime_dir(const std::filesystem::path& dir, uid_t uid) {
    struct stat st {};
    return ::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid;
}

[[noreturn]] void refuse(const std::filesystem::path& dir, const std::string& why) {
    throw Error(ExitCode::internal, "cannot use the lock folder " + dir.string() + ": " + why +
                                        " (remove it, or set XDG_RUNTIME_DIR or ENVCTL_LOCK_DIR to a folder of your own)");
}

}  // namespace

std::filesystem::path choose_lock_dir(const LockDirInputs& in) {
    if (set(in.lock_dir)) return *in.lock_dir;
    if (set(in.xdg_runtime_dir)) return std::filesystem::path(*in.xdg_runtime_dir) / "envctl";
    if (in.uid == 0) return "/run/envctl";
    const auto runtime = in.run_user / std::to_string(in.uid);
    if (own_runtime_dir(runtime, in.uid)) return runtime / "envctl";
    return in.tmp / ("envctl-" + std::to_string(in.uid));
}

std::filesystem::path current_lock_dir() {
    LockDirInputs in;
    in.lock_dir = env("ENVCTL_LOCK_DIR");
    in.xdg_runtime_dir = env("XDG_RUNTIME_DIR");
    in.uid = ::geteuid();
    return choose_lock_dir(in);
}

int open_lock_dir(const std::filesystem::path& dir) {
    if (dir.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(dir.parent_path(), ec);
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) refuse(dir, std::string("cannot create it: ") + std::strerror(errno));
    // O_NOFOLLOW: a symlink in its place fails here instead of leading elsewhere.
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int saved = errno;
        struct stat st {};
        if (::lstat(dir.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) refuse(dir, "it is a symbolic link");
        refuse(dir, std::string("cannot open it: ") + std::strerror(saved));
    }
    struct stat st {};
    auto fail = [&](const std::string& why) {
        ::close(fd);
        refuse(dir, why);
    };
    if (::fstat(fd, &st) != 0) fail(std::string("cannot inspect it: ") + std::strerror(errno));
    if (st.st_uid != ::geteuid())
        fail("it belongs to uid " + std::to_string(st.st_uid) + ", not to this user (uid " +
             std::to_string(::geteuid()) + ")");
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && ::fchmod(fd, st.st_mode & 0755) != 0)
        fail(std::string("it is writable by others and cannot be tightened: ") + std::strerror(errno));
    return fd;
}

}  // namespace envctl::orchestration
