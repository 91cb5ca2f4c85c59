#include "envctl/util/tree_digest.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <system_error>
#include <vector>

#include "envctl/util/hash.hpp"

namespace envctl::tree_digest {
namespace {

namespace fs = std::filesystem;

class Describer {
public:
    explicit Describer(const Limits& limits) : limits_(limits) {}

    // One line for the entry at `path`, named `name` (its path relative to the digested root).
    void entry(const fs::path& path, const std::string& name) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) {
            text_ += "missing " + name + "\n";
        } else if (S_ISLNK(st.st_mode)) {
            std::error_code ec;
            text_ += "link " + name + " -> " + fs::read_symlink(path, ec).string() + "\n";
        } else if (S_ISDIR(st.st_mode)) {
            text_ += "dir " + name + "\n";
        } else if (S_ISREG(st.st_mode)) {
            text_ += "file " + name + " " + std::to_string(st.st_size) + " " + content(path, st) + "\n";
        } else {
            text_ += "other " + name + " " + std::to_string(st.st_mode & S_IFMT) + "\n";
        }
    }

    void folder(const fs::path& root) {
        std::vector<std::string> names;
        std::error_code ec;
        fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (names.size() >= limits_.max_entries) {
                text_ += "truncated after " + std::to_string(limits_.max_entries) + " entries\n";
                break;
            }
            names.push_back(it->path().lexically_relative(root).generic_string());
        }
        if (ec) text_ += "unreadable: " + ec.message() + "\n";
        std::sort(names.begin(), names.end());
        for (const auto& name : names) entry(root / name, name);
    }

    std::string digest() const { return hash::sha256_hex(text_); }

private:
    // The contents' SHA-256 while the byte budget lasts; then size and modification time stand in for them.
    std::string content(const fs::path& path, const struct stat& st) {
        const auto size = static_cast<std::uintmax_t>(st.st_size);
        if (size <= limits_.max_bytes - read_) {
            std::ifstream in(path, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (in.good() || in.eof()) {
                read_ += size;
                return hash::sha256_hex(bytes);
            }
            return "unreadable";
        }
        return "mtime " + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    }

    Limits limits_;
    std::uintmax_t read_ = 0;
    std::string text_;
};

}  // namespace

std::string of(const fs::path& path, const Limits& limits) {
    Describer d(limits);
    d.entry(path, ".");
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(path, ec))) d.folder(path);
    return d.digest();
}

}  // namespace envctl::tree_digest
