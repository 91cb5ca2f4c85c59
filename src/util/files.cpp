#include "envctl/util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "envctl/core/error.hpp"

namespace envctl::files {

std::string read(const std::filesystem::path& path) {
    // Plain POSIX calls: a migration run reads hundreds of small files, and a stream per file costs more than
    // the reading.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw usage_error("cannot read " + path.string() + ": " + std::strerror(errno));
    struct stat st {};
    std::string content;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) content.reserve(static_cast<std::size_t>(st.st_size));
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            content.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            const int saved = errno;
            ::close(fd);
            throw usage_error("cannot read " + path.string() + ": " + std::strerror(saved));
        }
    }
    ::close(fd);
    return content;
}

namespace {

void write_with_mode(const std::filesystem::path& path, std::string_view content, mode_t mode) {
    std::string tmp = path.string() + ".tmp-XXXXXX";
    int fd = mkstemp(tmp.data());
    if (fd < 0) throw Error(ExitCode::internal, "cannot write " + path.string() + ": " + std::strerror(errno));
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int saved = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error(ExitCode::internal, "cannot write " + path.string() + ": " + std::strerror(saved));
        }
        written += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, mode);
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        throw Error(ExitCode::internal, "cannot write " + path.string() + ": " + std::strerror(saved));
    }
}

// The nearest `.envctl` folder at or above `dir`, if any.
std::optional<std::filesystem::path> state_root(const std::filesystem::path& dir) {
    for (auto p = dir; !p.empty() && p != p.root_path(); p = p.parent_path())
        if (p.filename() == ".envctl") return p;
    return std::nullopt;
}

// Creates `p` 0700 unless it exists; with `tighten`, an existing one must be a folder (not a link) and becomes 0700.
void private_folder(const std::filesystem::path& p, bool tighten) {
    if (::mkdir(p.c_str(), 0700) == 0) return;
    if (errno != EEXIST) throw Error(ExitCode::internal, "cannot make " + p.string() + ": " + std::strerror(errno));
    if (!tighten) return;
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(ExitCode::internal, "cannot make " + p.string() + ": it exists and is not a folder");
    if ((st.st_mode & 07777) != 0700 && ::chmod(p.c_str(), 0700) != 0)
        throw Error(ExitCode::internal, "cannot make " + p.string() + " private: " + std::strerror(errno));
}

}  // namespace

void write_atomic(const std::filesystem::path& path, std::string_view content) {
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    write_with_mode(path, content, 0644);
}

void make_private_dir(const std::filesystem::path& dir) {
    // Folders above `.envctl` (the project's own) are created as needed, never changed; from `.envctl` down, each
    // is made private. Without a `.envctl` folder, only the folders this call creates are private.
    const auto root = state_root(dir);
    std::filesystem::path current;
    for (const auto& part : dir) {
        current /= part;
        if (current == current.root_path()) continue;
        private_folder(current, root && current.native().size() >= root->native().size());
    }
}

void write_private(const std::filesystem::path& path, std::string_view content) {
    if (path.has_parent_path()) make_private_dir(path.parent_path());
    write_with_mode(path, content, 0600);
}

}  // namespace envctl::files
