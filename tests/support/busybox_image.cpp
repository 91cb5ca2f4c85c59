#include "support/busybox_image.hpp"

#include <filesystem>
#include <mutex>

#include "envctl/engine/podman_cli.hpp"
#include "envctl/util/subprocess.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {
namespace {

namespace fs = std::filesystem;

subprocess::Result run(std::vector<std::string> argv, int seconds = 60) {
    subprocess::Spec spec;
    spec.argv = std::move(argv);
    spec.timeout = std::chrono::seconds(seconds);
    return subprocess::run(spec);
}

// A root holding bin/busybox and a link per applet, tarred with `tar` and imported with `podman import`.
bool build_image(std::string* why_not) {
    const fs::path busybox = "/bin/busybox";
    if (!fs::exists(busybox)) {
        *why_not = "/bin/busybox is missing: apt-get install busybox-static";
        return false;
    }
    TempDir dir;
    fs::path root = dir / "root";
    fs::create_directories(root / "bin");
    for (const char* d : {"tmp", "etc", "www", "data", "var"}) fs::create_directories(root / d);
    fs::copy_file(busybox, root / "bin" / "busybox");
    auto applets = run({busybox.string(), "--list"});
    for (const auto& name : engine::output_lines(applets.ok() ? applets.out : std::string())) {
        if (name != "busybox" && !fs::exists(root / "bin" / name)) fs::create_symlink("busybox", root / "bin" / name);
    }
    fs::path tar = dir / "rootfs.tar";
    auto tarred = run({"tar", "-C", root.string(), "-cf", tar.string(), "."});
    if (!tarred.ok()) {
        *why_not = "tar failed: " + tarred.describe() + " " + tarred.err;
        return false;
    }
    auto imported = run({"podman", "import", "--change", "ENV PATH=/bin", "--change", "CMD [\"/bin/sh\"]",
                         tar.string(), kBusyboxImage});
    if (!imported.ok()) {
        *why_not = "podman import failed: " + imported.describe() + " " + imported.err;
        return false;
    }
    return true;
}

}  // namespace

bool podman_usable(std::string* why_not) {
    for (const char* program : {"podman", "podman-compose"}) {
        if (!subprocess::find_program(program)) {
            *why_not = std::string(program) + " is not installed";
            return false;
        }
    }
    auto ps = run({"podman", "ps", "-q"}, 30);
    if (!ps.ok()) {
        *why_not = "podman ps failed: " + ps.describe() + " " + ps.err;
        return false;
    }
    return true;
}

bool ensure_busybox_image(std::string* why_not) {
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    if (!podman_usable(why_not)) return false;
    if (run({"podman", "image", "exists", kBusyboxImage}).ok()) return true;
    return build_image(why_not);
}

}  // namespace envctl::test
