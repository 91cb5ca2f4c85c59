// `envctl doctor` and up's container-network preflight with real podman: the checks pass on this machine, with
// and without envctl's local images; the known breakages that can be reproduced here are (netavark without
// iptables, an open-files limit above the hard limit, a full disk, an image not known), and each gets its fix;
// doctor passes beside a running environment; nothing the checks make is left behind.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "envctl/preflight/known_breakages.hpp"
#include "envctl/preflight/kube_check.hpp"
#include "envctl/settings/settings.hpp"
#include "support/busybox_image.hpp"
#include "support/envctl_project.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using envctl::test::EnvctlProject;
using nlohmann::json;

namespace {

// netavark finds iptables on PATH; Debian puts it in /usr/sbin (issue 10's fresh-machine failure).
const std::map<std::string, std::string> kNoIptables{{"PATH", "/usr/local/bin:/usr/bin:/bin"}};

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

std::unique_ptr<EnvctlProject> project(const std::string& tag, int base, const std::string& engine = "podman") {
    return std::make_unique<EnvctlProject>("doc-" + tag, "e2e/stack.yaml",
                                           std::map<std::string, std::string>{{"E2E_WEB_PORT", std::to_string(base)},
                                                                              {"E2E_API_PORT", std::to_string(base + 1)},
                                                                              {"E2E_SICK_PORT", std::to_string(base + 2)},
                                                                              {"E2E_CRASH_PORT", std::to_string(base + 3)},
                                                                              {"E2E_SLOW_PORT", std::to_string(base + 4)},
                                                                              {"ENVCTL_ENGINE", engine}});
}

const json* find_check(const json& doc, const std::string& name) {
    for (const auto& c : doc.at("checks"))
        if (c.at("name") == name) return &c;
    return nullptr;
}

// What the check makes, anywhere in podman's storage: containers and images labelled io.envctl.check, networks
// and pods (the kube engine's check) named envctl-check-*. `env` points podman at another storage when a test uses one.
std::string check_leftovers(const std::map<std::string, std::string>& env = {}) {
    auto podman = [&env](std::vector<std::string> args) {
        envctl::subprocess::Spec spec;
        spec.argv = {"podman"};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        auto e = envctl::subprocess::current_environment();
        for (const auto& [k, v] : env) e[k] = v;
        spec.env = e;
        spec.timeout = 30s;
        return envctl::subprocess::run(spec).out;
    };
    std::string left = podman({"ps", "-a", "--format", "{{.Names}}", "--filter", "label=io.envctl.check"}) +
                       podman({"images", "--format", "{{.Repository}}", "--filter", "label=io.envctl.check"});
    std::istringstream networks(podman({"network", "ls", "--format", "{{.Name}}"}));
    for (std::string name; std::getline(networks, name);)
        if (name.rfind("envctl-check-", 0) == 0) left += name + "\n";
    std::istringstream pods(podman({"pod", "ps", "--format", "{{.Name}}"}));
    for (std::string name; std::getline(pods, name);)
        if (name.rfind("envctl-check-", 0) == 0) left += name + "\n";
    return left;
}

// A podman storage of its own (no images in it): CONTAINERS_STORAGE_CONF for podman and envctl.
class PrivateStorage {
public:
    explicit PrivateStorage(const std::filesystem::path& root) : root_(root) {
        std::filesystem::create_directories(root_ / "graph");
        std::filesystem::create_directories(root_ / "run");
        std::ofstream(root_ / "storage.conf") << "[storage]\ndriver = \"vfs\"\ngraphroot = \"" << (root_ / "graph").string()
                                              << "\"\nrunroot = \"" << (root_ / "run").string() << "\"\n";
    }
    std::map<std::string, std::string> env() const { return {{"CONTAINERS_STORAGE_CONF", (root_ / "storage.conf").string()}}; }

private:
    std::filesystem::path root_;
};

class Doctor : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
        REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    }
};

// On --engine kube, so that the pod check (what podman kube play needs: the pods' pause image) runs too.
TEST_F(Doctor, ChecksImageRuntimeNetworkPublishedPortNamesAndPodsAndLeavesNothing) {
    auto p = project("pass", 27100, "kube");
    auto r = p->run({"--profile", "e2e", "doctor", "--json"}, 2min);
    ASSERT_EQ(r.exit_code, 0) << output(r);
    auto doc = json::parse(r.out);
    EXPECT_EQ(doc.at("schema"), "envctl.doctor/v1");
    EXPECT_TRUE(doc.at("ok").get<bool>());
    for (const char* name : {"podman", "container image", "a container starts", "bridge network", "published port",
                             "name resolution", "host ports free", "memory", "kube play pod"}) {
        const json* c = find_check(doc, name);
        ASSERT_NE(c, nullptr) << name << " missing: " << r.out;
        EXPECT_TRUE(c->at("ok").get<bool>()) << name << ": " << c->dump();
    }
    EXPECT_NE(find_check(doc, "container image")->at("detail").get<std::string>().find("localhost/envctl/busybox:1.35"),
              std::string::npos)
        << "the present local image is used";
    EXPECT_NE(find_check(doc, "published port")->at("detail").get<std::string>().find("http://127.0.0.1:"), std::string::npos);
    EXPECT_EQ(check_leftovers(), "");
    EXPECT_TRUE(p->containers().empty());
}

TEST_F(Doctor, MakesItsOwnImageWhenNoLocalImageIsPresent) {
    REQUIRE_PREREQUISITE(std::filesystem::exists("/bin/busybox"), "/bin/busybox (apt-get install busybox-static)");
    envctl::test::TempDir dir;
    PrivateStorage storage(dir.path());
    auto p = project("made", 27110);
    auto r = p->run({"--profile", "e2e", "doctor", "--json"}, 2min, storage.env());
    ASSERT_EQ(r.exit_code, 0) << output(r);
    auto doc = json::parse(r.out);
    auto detail = find_check(doc, "container image")->at("detail").get<std::string>();
    EXPECT_NE(detail.find("made localhost/envctl-check/busybox:"), std::string::npos) << detail;
    for (const char* name : {"a container starts", "bridge network", "published port", "name resolution"})
        EXPECT_TRUE(find_check(doc, name)->at("ok").get<bool>()) << r.out;
    EXPECT_EQ(check_leftovers(storage.env()), "") << "the made image is removed again";
    EXPECT_EQ(check_leftovers(), "");
}

TEST_F(Doctor, NetavarkWithoutIptablesIsNamedWithItsFix) {
    auto p = project("ipt", 27120);
    auto r = p->run({"--profile", "e2e", "doctor", "--json"}, 2min, kNoIptables);
    EXPECT_EQ(r.exit_code, 7) << output(r);
    auto doc = json::parse(r.out);
    EXPECT_FALSE(doc.at("ok").get<bool>());
    const json* port = find_check(doc, "published port");
    ASSERT_NE(port, nullptr) << r.out;
    EXPECT_FALSE(port->at("ok").get<bool>());
    EXPECT_NE(port->at("detail").get<std::string>().find("netavark"), std::string::npos) << port->dump();
    EXPECT_EQ(port->at("fix").get<std::string>().rfind("apt-get install iptables", 0), 0u) << port->dump();
    EXPECT_TRUE(find_check(doc, "a container starts")->at("ok").get<bool>()) << "the runtime itself works";
    EXPECT_EQ(find_check(doc, "kube play pod"), nullptr) << "the pod check is --engine kube's only";
    EXPECT_EQ(check_leftovers(), "");
}

TEST_F(Doctor, UpWithoutIptablesFailsInPreflightWithinSecondsAndCreatesNothing) {
    auto p = project("upipt", 27130);
    auto started = std::chrono::steady_clock::now();
    auto r = p->run({"--profile", "e2e", "up", "--attempts", "3"}, 2min, kNoIptables);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(r.exit_code, 7) << output(r);
    EXPECT_NE(r.err.find("apt-get install iptables"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("attempt 2"), std::string::npos) << "never retried: " << r.err;
    EXPECT_LT(took, 20s) << "preflight, not three attempts";
    EXPECT_TRUE(p->containers().empty());
    EXPECT_FALSE(p->network_exists());
    EXPECT_TRUE(p->volumes().empty());
    EXPECT_EQ(check_leftovers(), "");
}

TEST_F(Doctor, PassesBesideTheProjectsRunningEnvironment) {
    auto p = project("run", 27140);
    auto up = p->run({"--profile", "e2e", "up"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    auto r = p->run({"--profile", "e2e", "doctor", "--json"}, 2min);
    EXPECT_EQ(r.exit_code, 0) << output(r);
    auto doc = json::parse(r.out);
    const json* ports = find_check(doc, "host ports free");
    ASSERT_NE(ports, nullptr);
    EXPECT_TRUE(ports->at("ok").get<bool>()) << ports->dump();
    EXPECT_NE(ports->at("detail").get<std::string>().find("own running containers (2 of them)"), std::string::npos)
        << ports->dump();
    // A second up of the running environment skips the network check and changes nothing.
    auto again = p->run({"--profile", "e2e", "up"});
    EXPECT_EQ(again.exit_code, 0) << output(again);
    EXPECT_EQ(p->run({"down", "--volumes"}).exit_code, 0);
    EXPECT_EQ(check_leftovers(), "");
}

TEST_F(Doctor, PortHeldByAnotherProgramIsNamed) {
    auto p = project("held", 27150);
    // A listener of this test process on the web port: doctor names the test binary and its PID.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(27150);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(fd, 4), 0);
    auto r = p->run({"--profile", "e2e", "doctor", "--json"}, 2min);
    ::close(fd);
    EXPECT_EQ(r.exit_code, 7) << output(r);
    auto doc = json::parse(r.out);
    auto ports = find_check(doc, "host ports free");
    ASSERT_NE(ports, nullptr);
    EXPECT_FALSE(ports->at("ok").get<bool>());
    EXPECT_NE(ports->at("detail").get<std::string>().find("(PID " + std::to_string(::getpid()) + ")"), std::string::npos)
        << ports->dump();
}

TEST_F(Doctor, OpenFilesLimitAboveTheHardLimitIsNamedWithItsFix) {
    rlimit limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    REQUIRE_PREREQUISITE(limit.rlim_max != RLIM_INFINITY && limit.rlim_max < 1048576,
                         "a hard open-files limit below 1048576 (ulimit -Hn), as on these machines");
    envctl::test::TempDir dir;
    const auto conf = dir.path() / "containers.conf";
    std::ofstream(conf) << "[containers]\ndefault_ulimits = [\"nofile=" << limit.rlim_max + 1 << ":" << limit.rlim_max + 1
                        << "\"]\n[engine]\nruntime = \"runc\"\n";
    auto p = project("nofile", 27160);
    auto r = p->run({"--profile", "e2e", "doctor", "--json"}, 2min, {{"CONTAINERS_CONF", conf.string()}});
    EXPECT_EQ(r.exit_code, 7) << output(r);
    auto doc = json::parse(r.out);
    const json* start = find_check(doc, "a container starts");
    ASSERT_NE(start, nullptr) << r.out;
    EXPECT_FALSE(start->at("ok").get<bool>());
    EXPECT_NE(start->at("detail").get<std::string>().find("rlimit"), std::string::npos) << start->dump();
    EXPECT_NE(start->at("fix").get<std::string>().find("default_ulimits"), std::string::npos) << start->dump();
    EXPECT_EQ(check_leftovers(), "");
}

TEST_F(Doctor, NoSpaceLeftIsNamedWithItsFix) {
    REQUIRE_PREREQUISITE(::geteuid() == 0, "root, to mount a 1 MB tmpfs as podman's storage");
    REQUIRE_PREREQUISITE(std::filesystem::exists("/bin/busybox"), "/bin/busybox (apt-get install busybox-static)");
    envctl::test::TempDir dir;
    const auto small = dir.path() / "small";
    std::filesystem::create_directories(small);
    ASSERT_EQ(::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m"), 0) << std::strerror(errno);
    struct Unmount {
        std::filesystem::path path;
        ~Unmount() { EXPECT_EQ(::umount2(path.c_str(), MNT_DETACH), 0) << std::strerror(errno); }
    } unmount{small};
    {
        PrivateStorage storage(small);  // no image in it: doctor imports its own, and the 2 MB do not fit
        auto p = project("nospace", 27170);
        auto r = p->run({"--profile", "e2e", "doctor", "--json"}, 2min, storage.env());
        EXPECT_EQ(r.exit_code, 7) << output(r);
        auto doc = json::parse(r.out);
        const json* image = find_check(doc, "container image");
        ASSERT_NE(image, nullptr) << r.out;
        EXPECT_FALSE(image->at("ok").get<bool>());
        EXPECT_NE(image->at("detail").get<std::string>().find("no space left on device"), std::string::npos) << image->dump();
        EXPECT_EQ(image->at("fix").get<std::string>().rfind("podman system df", 0), 0u) << image->dump();
    }
    EXPECT_EQ(check_leftovers(), "");
}

// podman 4.3 builds the pods' pause image from catatonit, found in its helper_binaries_dir or on PATH. Without
// either (a containers.conf whose helper folder is empty, PATH holding only podman) and without the image (a
// storage of its own), the pod check fails with podman's error and the package to install.
TEST_F(Doctor, PodCheckWithoutCatatonitNamesThePackage) {
    envctl::test::TempDir dir;
    PrivateStorage storage(dir.path() / "storage");
    std::filesystem::create_directories(dir.path() / "bin");
    std::filesystem::create_directories(dir.path() / "helpers");
    std::filesystem::create_symlink("/usr/bin/podman", dir.path() / "bin" / "podman");
    dir.write("containers.conf", "[engine]\nhelper_binaries_dir = [\"" + (dir.path() / "helpers").string() + "\"]\n");
    envctl::settings::Settings settings;
    settings.base_environment = envctl::subprocess::current_environment();
    for (const auto& [k, v] : storage.env()) settings.base_environment[k] = v;
    settings.base_environment["CONTAINERS_CONF"] = (dir.path() / "containers.conf").string();
    settings.base_environment["PATH"] = (dir.path() / "bin").string();
    auto check = envctl::preflight::check_kube_pod(settings);
    EXPECT_EQ(check.name, "kube play pod");
    EXPECT_FALSE(check.ok);
    EXPECT_NE(check.detail.find("finding pause binary"), std::string::npos) << check.detail;
    EXPECT_EQ(check.fix.rfind("apt-get install catatonit", 0), 0u) << check.fix;
    EXPECT_EQ(check_leftovers(storage.env()), "");
}

TEST_F(Doctor, ImageNotKnownFromPodmanItselfGetsTheBuildCommand) {
    envctl::subprocess::Spec spec;
    spec.argv = {"podman", "create", "--pull", "never", "localhost/envctl/absent-image:1", "/bin/true"};
    spec.timeout = 30s;
    auto r = envctl::subprocess::run(spec);
    ASSERT_NE(r.exit_code, 0);
    EXPECT_EQ(envctl::preflight::known_fix(r.err), "envctl images build absent-image") << r.err;
}

}  // namespace
