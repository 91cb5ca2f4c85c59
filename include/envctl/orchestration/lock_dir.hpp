#pragma once
// The folder the project locks live in, and opening it safely.
//
// Which folder: ENVCTL_LOCK_DIR when set; else $XDG_RUNTIME_DIR/envctl; else, for root, /run/envctl; else (a user
// without XDG_RUNTIME_DIR: cron, CI containers, `sudo -u`) /run/user/<uid>/envctl when /run/user/<uid> is that
// user's own folder (what XDG_RUNTIME_DIR would be in a login session), and /tmp/envctl-<uid> otherwise.
// Podman keeps each user's containers apart, so a per-user folder excludes exactly the commands that drive the
// same containers.
//
// Whichever it is, the folder itself must be a real folder (not a symlink), owned by the user, and writable by
// no one else; envctl creates it 0700, tightens one of its own that is group- or world-writable, and refuses
// anything else (a squatted /tmp/envctl-<uid>) with a clear error.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace envctl::orchestration {

struct LockDirInputs {
    std::optional<std::string> lock_dir{};         // ENVCTL_LOCK_DIR
    std::optional<std::string> xdg_runtime_dir{};  // XDG_RUNTIME_DIR
    uid_t uid = 0;                               // effective uid
    std::filesystem::path run_user = "/run/user";
    std::filesystem::path tmp = "/tmp";
};

// The folder for these inputs (empty values count as unset).
std::filesystem::path choose_lock_dir(const LockDirInputs& in);
// The folder for this process: its environment and effective uid.
std::filesystem::path current_lock_dir();

// Creates `dir` (0700, parents as needed), checks it as above and returns an O_DIRECTORY descriptor for it (the
// lock file is opened relative to it, O_NOFOLLOW). Throws Error(internal) naming the folder and what to do.
int open_lock_dir(const std::filesystem::path& dir);

}  // namespace envctl::orchestration
