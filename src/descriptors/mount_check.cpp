#include "envctl/descriptors/mount_check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "envctl/core/error.hpp"

namespace envctl::descriptors {
namespace {

bool inside(const std::filesystem::path& path, const std::filesystem::path& root) {
    return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

}  // namespace

void check_mounts_inside(const Stack& stack, const std::filesystem::path& project_dir) {
    std::error_code ec;
    auto root = std::filesystem::weakly_canonical(project_dir, ec);
    if (ec) throw usage_error("cannot resolve the project folder " + project_dir.string() + ": " + ec.message());
    for (const auto& service : stack.services) {
        for (const auto& mount : service.mounts) {
            auto resolved = std::filesystem::weakly_canonical(project_dir / mount.source, ec);
            if (ec) {
                throw usage_error(fmt::format("service {} mounts {}: it cannot be resolved ({}): fix the path",
                                              service.name, mount.source, ec.message()));
            }
            if (inside(resolved, root)) continue;
            throw usage_error(fmt::format(
                "service {} mounts {}, which leads to {}, outside the project {} (a symbolic link?): a mount must "
                "stay inside the project; put the file itself there instead of a link",
                service.name, mount.source, resolved.string(), root.string()));
        }
    }
}

}  // namespace envctl::descriptors
