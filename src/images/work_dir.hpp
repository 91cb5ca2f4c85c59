#pragma once
// Private: the temporary folder one image build works in, removed on every exit path. mmdebstrap mounts /dev,
// /proc and /sys into its root while it works (and unmounts them, also on SIGTERM); should a kill leave one
// mounted, it is detached first: the removal never descends into a mount.

#include <filesystem>
#include <string>
#include <vector>

#include "envctl/images/recipe.hpp"

namespace envctl::images {

class WorkDir {
public:
    // Makes <root>/envctl-image-<name>-XXXXXX.
    WorkDir(const std::filesystem::path& root, const std::string& name);
    ~WorkDir();
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // overlay/: the recipe's files with their modes; every folder 0755 (mmdebstrap's sync-in copies folder modes).
    void write_overlay(const std::vector<RecipeFile>& files) const;
    // host-ca.crt: the host's CA bundle ($SSL_CERT_FILE, $NODE_EXTRA_CA_CERTS or /etc/ssl/certs/ca-certificates.crt),
    // or an empty file when the host has none.
    void copy_host_ca() const;

private:
    std::filesystem::path path_;
};

// Mount points at or below `dir` (from /proc/self/mounts), deepest first.
std::vector<std::filesystem::path> mounts_below(const std::filesystem::path& dir);
// Detaches leftover mounts, then removes `dir`. False (and why) when something could not be removed.
bool remove_tree_safely(const std::filesystem::path& dir, std::string* why);

}  // namespace envctl::images
