// The container check's image: envctl's busybox image when present, else one made on the spot from the host's
// busybox-static (a 2 MB root holding /bin/busybox only, imported in well under a second).
#include <elf.h>
#include <stdlib.h>

#include <fstream>

#include <fmt/format.h>

#include "envctl/preflight/helper_container.hpp"
#include "envctl/preflight/container_check.hpp"
#include "envctl/preflight/known_breakages.hpp"
#include "envctl/util/output_tail.hpp"

namespace envctl::preflight::detail {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A private folder under $TMPDIR (or /tmp), removed with everything in it when this goes.
class ScratchDir {
public:
    ScratchDir() {
        const char* tmp = std::getenv("TMPDIR");
        std::string base = tmp && *tmp && fs::is_directory(tmp) ? tmp : "/tmp";
        std::string pattern = base + "/envctl-check-XXXXXX";
        if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        if (!path_.empty()) fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

template <typename Header, typename ProgramHeader>
bool has_interpreter(std::ifstream& in) {
    Header h{};
    in.seekg(0);
    if (!in.read(reinterpret_cast<char*>(&h), sizeof h)) return true;
    for (unsigned i = 0; i < h.e_phnum; ++i) {
        ProgramHeader p{};
        in.seekg(static_cast<std::streamoff>(h.e_phoff + static_cast<std::uint64_t>(i) * h.e_phentsize));
        if (!in.read(reinterpret_cast<char*>(&p), sizeof p)) return true;
        if (p.p_type == PT_INTERP) return true;
    }
    return false;
}

}  // namespace

bool is_static_executable(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char ident[EI_NIDENT] = {};
    if (!in.read(reinterpret_cast<char*>(ident), sizeof ident)) return false;
    if (ident[EI_MAG0] != ELFMAG0 || ident[EI_MAG1] != ELFMAG1 || ident[EI_MAG2] != ELFMAG2 || ident[EI_MAG3] != ELFMAG3)
        return false;
    if (ident[EI_CLASS] == ELFCLASS64) return !has_interpreter<Elf64_Ehdr, Elf64_Phdr>(in);
    if (ident[EI_CLASS] == ELFCLASS32) return !has_interpreter<Elf32_Ehdr, Elf32_Phdr>(in);
    return false;
}

CheckImage provide_image(const Podman& podman, const std::string& id, const fs::path& busybox, Check& check) {
    check = Check{"container image", false, "", ""};
    auto exists = podman({"image", "exists", kDoctorImage}, 15s);
    if (exists.ok()) {
        check.ok = true;
        check.detail = fmt::format("{} (present; left as it is)", kDoctorImage);
        return {kDoctorImage, false};
    }
    if (exists.exit_code != 1) {  // 1: absent; anything else: podman itself failed
        check.detail = "podman image exists failed: " + podman_error(exists);
        check.fix = known_fix(check.detail);
        if (check.fix.empty()) check.fix = "see podman's error above; `podman info` shows its configuration";
        return {};
    }
    if (!is_static_executable(busybox)) {
        check.detail = fmt::format("{} is absent, and {} is {}: the check has no image to run", kDoctorImage,
                                   busybox.string(), fs::exists(busybox) ? "not a static executable" : "missing");
        check.fix = "apt-get install busybox-static (or build envctl's image: envctl images build busybox)";
        return {};
    }
    ScratchDir dir;
    std::error_code ec;
    const fs::path root = dir.path() / "root";
    fs::create_directories(root / "bin", ec);
    if (!ec) fs::copy_file(busybox, root / "bin" / "busybox", ec);
    if (dir.path().empty() || ec) {
        check.detail = "cannot prepare the image's root under $TMPDIR: " + (ec ? ec.message() : std::string("mkdtemp failed"));
        check.fix = "make $TMPDIR (or /tmp) writable, with a few MB free";
        return {};
    }
    const std::string tar = (dir.path() / "root.tar").string();
    subprocess::Spec spec;
    spec.argv = {"tar", "-C", root.string(), "-cf", tar, "."};
    spec.env = podman.environment;
    spec.timeout = std::min<Duration>(15s, remaining(podman.deadline));
    auto tarred = subprocess::run(spec);
    if (!tarred.ok()) {
        check.detail = "tar failed: " + tarred.describe() + " " + last_lines(tarred.err, 3);
        check.fix = "apt-get install tar";
        return {};
    }
    const std::string image = fmt::format("localhost/envctl-check/busybox:{}", id);
    auto imported = podman({"import", "--change", fmt::format("LABEL {}={}", kCheckLabel, id), "--change",
                            "CMD [\"/bin/busybox\", \"sh\"]", tar, image},
                           30s);
    if (!imported.ok()) {
        check.detail = "podman import failed: " + podman_error(imported);
        check.fix = known_fix(check.detail);
        if (check.fix.empty()) check.fix = "see podman's error above; `podman info` shows its storage";
        return {image, true};  // it may exist half-made: removed with the rest
    }
    check.ok = true;
    check.detail = fmt::format("{} absent: made {} from {} in {} (removed at the end)", kDoctorImage, image,
                               busybox.string(), format_duration(imported.elapsed));
    return {image, true};
}

}  // namespace envctl::preflight::detail
