// localhost/envctl/busybox:1.35: Debian's busybox-static extracted into an otherwise empty root, with a link per
// applet in /bin (sh, httpd, wget, nc, true, ...): about 2 MB. For `doctor` and for tests.
#include "recipe_defs.hpp"

namespace envctl::images::detail {

Recipe busybox_recipe() {
    Recipe r;
    r.name = "busybox";
    r.image = "localhost/envctl/busybox:1.35";
    r.summary = "BusyBox 1.35 (Debian busybox-static) for doctor and tests";
    r.variant = "extract";  // unpacked only: no dpkg, no libc, nothing but the static binary
    r.packages = {"busybox-static"};
    r.files = {
        {"/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", 0644},
        {"/etc/group", "root:x:0:\nnogroup:x:65534:\n", 0644},
    };
    r.hooks = {
        {HookStage::extract, R"(chroot "$1" /bin/busybox --install -s /bin)"},
        {HookStage::extract, R"(rm -rf "$1/usr/share")"},
        {HookStage::extract, R"(mkdir -p "$1/root" "$1/www" "$1/data" "$1/var/www")"},
    };
    r.changes = {
        R"(CMD ["/bin/sh"])",
        "ENV PATH=/bin",
        // Its programs keep no state, and as PID 1 they ignore SIGTERM (busybox httpd, sh): stop at once.
        "STOPSIGNAL SIGKILL",
        "WORKDIR /",
        "LABEL org.opencontainers.image.title=envctl-busybox",
    };
    r.build_timeout = std::chrono::minutes(5);
    return r;
}

}  // namespace envctl::images::detail
