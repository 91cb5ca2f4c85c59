// known_fix()/diagnose() against podman's real error texts. Each text was reproduced on this project's machines
// (podman 4.3.1, runc 1.1.5, crun 1.8.1, netavark 1.4) unless it says "recorded": those cannot be reproduced here
// and are quoted from a real report. tests/integration/doctor_test.cpp reproduces the reproducible ones live.
#include "envctl/preflight/known_breakages.hpp"

#include <gtest/gtest.h>

namespace {

using envctl::preflight::diagnose;
using envctl::preflight::known_fix;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(KnownBreakages, NetavarkWithoutIptables) {
    // `podman run --network BRIDGE ...` with PATH=/usr/local/bin:/usr/bin:/bin (iptables is in /usr/sbin).
    const std::string cli = "Error: netavark: No such file or directory (os error 2)\n";
    // The same through the REST API, as the native engine reported it (issue 10).
    const std::string api = "starting intl_redis-dapr_1 failed (HTTP 500):\nnetavark: No such file or directory (os error 2)";
    for (const auto& text : {cli, api}) {
        auto d = diagnose(text);
        ASSERT_TRUE(d.has_value()) << text;
        EXPECT_EQ(d->fix.rfind("apt-get install iptables", 0), 0u) << d->fix;
        EXPECT_TRUE(contains(d->cause, "iptables")) << d->cause;
        EXPECT_EQ(known_fix(text), d->fix);
    }
}

TEST(KnownBreakages, CrunOnHybridCgroups) {
    // `podman run --runtime crun ...` (crun 1.8.1 from Debian) on this machine's hybrid cgroups.
    const std::string text =
        "Error: OCI runtime error: crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2\n";
    auto fix = known_fix(text);
    EXPECT_EQ(fix.rfind("apt-get install runc", 0), 0u) << fix;
    EXPECT_TRUE(contains(fix, "runtime = \\\"runc\\\"") || contains(fix, "runtime = \"runc\"")) << fix;
    // crun named for another reason is not this breakage.
    EXPECT_EQ(known_fix("Error: default OCI runtime \"crun\" not found: invalid argument"), "");
}

TEST(KnownBreakages, OpenFilesLimitAboveTheHardLimit) {
    // CONTAINERS_CONF with default_ulimits = ["nofile=1048576:1048576"] above `ulimit -Hn` (20000), runc and crun.
    const std::string runc =
        "Error: runc: runc create failed: unable to start container process: error during container init: error setting "
        "rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied\n";
    const std::string crun = "Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied\n";
    for (const auto& text : {runc, crun}) {
        auto d = diagnose(text);
        ASSERT_TRUE(d.has_value()) << text;
        EXPECT_TRUE(contains(d->fix, "default_ulimits")) << d->fix;
        EXPECT_TRUE(contains(d->fix, "nofile=")) << d->fix;
        EXPECT_TRUE(contains(d->cause, "hard limit")) << d->cause;
    }
}

TEST(KnownBreakages, NoSpaceLeft) {
    // `podman --root DIR import` with DIR on a 1 MB tmpfs.
    const std::string text =
        "Error: writing blob: adding layer with blob \"sha256:55e65f13874cf9d753066b74826e5952787f8078122449118c44dadea2977186\": "
        "ApplyLayer stdout:  stderr: write /bin/busybox: no space left on device exit status 1\n";
    auto fix = known_fix(text);
    EXPECT_EQ(fix.rfind("podman system df", 0), 0u) << fix;
    EXPECT_TRUE(contains(fix, "df -h")) << fix;
}

TEST(KnownBreakages, ImageNotKnownNamesTheCommandForThatImage) {
    // `podman create --pull never IMAGE` and the REST API's POST /libpod/containers/create of an absent image.
    EXPECT_EQ(known_fix("Error: localhost/envctl/postgresql:15: image not known\n"), "envctl images build postgresql");
    auto api = diagnose(
        R"({"cause":"image not known","message":"docker.io/library/postgres:16.15-alpine: image not known","response":500})");
    ASSERT_TRUE(api.has_value());
    EXPECT_EQ(api->fix, "envctl images pull (or podman pull docker.io/library/postgres:16.15-alpine)");
    EXPECT_TRUE(contains(api->cause, "docker.io/library/postgres:16.15-alpine")) << api->cause;
    EXPECT_TRUE(contains(known_fix("Error: localhost/mine/tool:1: image not known"), "never pulled"));
    // Docker's compatible API words it differently.
    EXPECT_EQ(known_fix("No such image: docker.io/library/redis:7"), "envctl images pull (or podman pull docker.io/library/redis:7)");
}

TEST(KnownBreakages, RootlessPortBelow1024) {
    // Recorded (rootless podman cannot run on these machines: no subordinate ids, no slirp4netns): podman's
    // rootlessport as quoted in gutmensch/docker-dmarc-report#66.
    const std::string text =
        "Error: rootlessport cannot expose privileged port 80, you can add 'net.ipv4.ip_unprivileged_port_start=80' to "
        "/etc/sysctl.conf (currently 1024), or choose a larger port number (>= 1024): listen tcp 0.0.0.0:80: bind: "
        "permission denied\n";
    auto d = diagnose(text);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->fix.rfind("sysctl -w net.ipv4.ip_unprivileged_port_start=80", 0), 0u) << d->fix;
    EXPECT_TRUE(contains(d->cause, "port 80")) << d->cause;
}

TEST(KnownBreakages, NoCatatonitForThePodsPauseImage) {
    // `podman pod create` (and so `podman kube play`) with no pause image yet, catatonit neither in
    // helper_binaries_dir nor on PATH (tests/integration/doctor_test.cpp reproduces it).
    const std::string text = "Error: building local pause image: finding pause binary: exec: \"catatonit\": executable "
                             "file not found in $PATH\n";
    auto d = diagnose(text);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->fix.rfind("apt-get install catatonit", 0), 0u) << d->fix;
    EXPECT_TRUE(contains(d->cause, "pause")) << d->cause;
}

TEST(KnownBreakages, AnythingElseHasNoKnownFix) {
    EXPECT_FALSE(diagnose("").has_value());
    EXPECT_FALSE(diagnose("Error: container exited with code 1").has_value());
    EXPECT_FALSE(diagnose("Error: creating container storage: the container name \"x\" is already in use").has_value());
    EXPECT_EQ(known_fix("pinging container registry localhost: connection refused"), "");
}

}  // namespace
