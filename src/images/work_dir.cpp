#include "work_dir.hpp"

#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "envctl/core/error.hpp"
#include "envctl/util/log.hpp"

namespace envctl::images {
namespace {

namespace fs = std::filesystem;

// /proc/self/mounts escapes blanks and backslashes in paths as \ooo.
std::string unescape_mount_path(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size()) {
            int value = 0;
            bool ok = true;
            for (std::size_t k = 1; k <= 3; ++k) {
                char c = s[i + k];
                if (c < '0' || c > '7') ok = false;
                value = value * 8 + (c - '0');
            }
            if (ok) {
                out.push_back(static_cast<char>(value));
                i += 3;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

void make_dirs_0755(const fs::path& base, const fs::path& relative_dir) {
    fs::path current = base;
    for (const auto& part : relative_dir) {
        current /= part;
        if (!fs::exists(current)) fs::create_directory(current);
        fs::permissions(current, static_cast<fs::perms>(0755), fs::perm_options::replace);
    }
}

}  // namespace

WorkDir::WorkDir(const fs::path& root, const std::string& name) {
    fs::create_directories(root);
    std::string pattern = (root / ("envctl-image-" + name + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw Error(ExitCode::internal, "cannot make a temporary folder under " + root.string() + ": " + std::strerror(errno));
    path_ = pattern;
    // apt downloads as the _apt user: it must be able to reach mmdebstrap's root inside this folder.
    fs::permissions(path_, static_cast<fs::perms>(0755), fs::perm_options::replace);
}

WorkDir::~WorkDir() {
    std::string why;
    if (!remove_tree_safely(path_, &why)) log::warn("could not remove {}: {}", path_.string(), why);
}

void WorkDir::write_overlay(const std::vector<RecipeFile>& files) const {
    fs::path overlay = path_ / "overlay";
    fs::create_directory(overlay);
    fs::permissions(overlay, static_cast<fs::perms>(0755), fs::perm_options::replace);
    for (const auto& f : files) {
        fs::path relative = fs::path(f.path).relative_path();
        make_dirs_0755(overlay, relative.parent_path());
        fs::path target = overlay / relative;
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        out << f.content;
        out.close();
        if (!out) throw Error(ExitCode::internal, "cannot write " + target.string());
        fs::permissions(target, static_cast<fs::perms>(f.mode), fs::perm_options::replace);
    }
}

void WorkDir::copy_host_ca() const {
    fs::path target = path_ / "host-ca.crt";
    for (const char* variable : {"SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"}) {
        const char* value = std::getenv(variable);
        std::error_code ec;
        if (value && *value && fs::is_regular_file(value, ec)) {
            fs::copy_file(value, target, fs::copy_options::overwrite_existing);
            log::debug("host CA bundle for network steps inside the root: {} (${})", value, variable);
            return;
        }
    }
    std::error_code ec;
    if (fs::is_regular_file("/etc/ssl/certs/ca-certificates.crt", ec)) {
        fs::copy_file("/etc/ssl/certs/ca-certificates.crt", target, fs::copy_options::overwrite_existing);
        log::debug("host CA bundle for network steps inside the root: /etc/ssl/certs/ca-certificates.crt");
        return;
    }
    std::ofstream(target, std::ios::binary | std::ios::trunc).close();
    log::debug("no host CA bundle found; network steps inside the root use the root's own");
}

std::vector<fs::path> mounts_below(const fs::path& dir) {
    std::vector<fs::path> found;
    std::ifstream in("/proc/self/mounts");
    std::string line;
    const std::string prefix = dir.string();
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string device, mount_point;
        if (!(fields >> device >> mount_point)) continue;
        std::string path = unescape_mount_path(mount_point);
        if (path == prefix || path.rfind(prefix + "/", 0) == 0) found.emplace_back(path);
    }
    std::sort(found.begin(), found.end(),
              [](const fs::path& a, const fs::path& b) { return a.string().size() > b.string().size(); });
    return found;
}

bool remove_tree_safely(const fs::path& dir, std::string* why) {
    std::error_code ec;
    if (dir.empty() || !fs::exists(dir, ec)) return true;
    for (const auto& m : mounts_below(dir)) {
        if (::umount2(m.c_str(), MNT_DETACH) != 0)
            log::warn("could not detach {} left mounted by the build: {}", m.string(), std::strerror(errno));
        else
            log::debug("detached {} left mounted by the build", m.string());
    }
    auto left = mounts_below(dir);
    if (!left.empty()) {
        if (why) *why = "still mounted: " + left.front().string() + " (unmount it, then remove the folder)";
        return false;
    }
    fs::remove_all(dir, ec);
    if (ec) {
        if (why) *why = ec.message();
        return false;
    }
    return true;
}

}  // namespace envctl::images
