// The default path against a real registry: Debian's docker-registry on 127.0.0.1 serves the local images under
// the core services' upstream names (docker.io/library/postgres:..., mcr.microsoft.com/azure-storage/azurite:...),
// and a test-only registries.conf (CONTAINERS_REGISTRIES_CONF) makes it the mirror of docker.io,
// mcr.microsoft.com and ghcr.io. `envctl up --profile core` with upstream names then pulls and comes up, with
// either engine; a missing image, a registry wanting a login and a registry that stops answering mid-pull each
// end in exit 7 naming the cause, with nothing of the project created. Every test removes what it pulled (only
// the upstream names: the pulled images are the local ones under a second name) and the volumes it made.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "envctl/ui/text_width.hpp"
#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/local_registry.hpp"
#include "support/prerequisite.hpp"
#include "support/test_paths.hpp"
#include "support/tmux_session.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;
using envctl::test::podman;

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string image_id(const std::string& image) {
    auto r = podman({"image", "inspect", "--format", "{{.Id}}", image});
    return r.ok() ? r.out.substr(0, r.out.find('\n')) : "";
}

// A project folder like the repository (its compose/, migrations/ and .env.development), run with the
// builtin stack, its own project name and ports, and podman pointed at the test registry.
class Project {
public:
    Project(std::string name, int first_port) : name_(std::move(name)) {
        const std::filesystem::path repo = ENVCTL_REPO_ROOT;
        std::filesystem::copy(repo / "migrations", dir_ / "migrations", std::filesystem::copy_options::recursive);
        std::filesystem::copy(repo / "compose", dir_ / "compose", std::filesystem::copy_options::recursive);
        std::filesystem::copy(repo / ".env.development", dir_ / ".env.development");
        env_ = {{"ENVCTL_PROJECT", name_},
                {"POSTGRES_PORT", std::to_string(first_port)},
                {"REDIS_DAPR_PORT", std::to_string(first_port + 1)},
                {"AZURITE_BLOB_PORT", std::to_string(first_port + 2)},
                {"OPA_PORT", std::to_string(first_port + 3)},
                {"ENVCTL_LOCK_DIR", (dir_ / "locks").string()}};
    }
    ~Project() {
        run({"down", "--volumes"});
        for (const auto& v : volumes()) podman({"volume", "rm", "-f", v});
    }
    void set(const std::string& key, const std::string& value) { env_[key] = value; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    const std::map<std::string, std::string>& environment() const { return env_; }

    envctl::subprocess::Result run(std::vector<std::string> args) const {
        envctl::subprocess::Spec spec;
        spec.argv = {ENVCTL_BINARY, "--project-dir", dir_.path().string()};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        auto e = envctl::subprocess::current_environment();
        for (const auto& [k, v] : env_) e[k] = v;
        spec.env = e;
        spec.timeout = 3min;
        return envctl::subprocess::run(spec);
    }
    std::vector<std::string> containers() const { return names({"ps", "-a", "--format", "{{.Names}}"}); }
    std::vector<std::string> volumes() const { return names({"volume", "ls", "--format", "{{.Name}}"}); }
    bool network_exists() const { return podman({"network", "exists", name_ + "_default"}).ok(); }

private:
    std::vector<std::string> names(const std::vector<std::string>& args) const {
        std::vector<std::string> out;
        std::istringstream in(podman(args).out);
        for (std::string line; std::getline(in, line);)
            if (line.rfind(name_ + "_", 0) == 0) out.push_back(line);
        return out;
    }
    envctl::test::TempDir dir_;
    std::string name_;
    std::map<std::string, std::string> env_;
};

class RegistryPull : public ::testing::Test {
protected:
    // Once for the suite: the registry, and the core profile's local images pushed under their upstream names.
    static void SetUpTestSuite() {
        std::string why;
        if (!envctl::test::podman_usable(&why)) return setup_failed("podman: " + why);
        if (!envctl::subprocess::find_program("docker-registry") || !envctl::subprocess::find_program("htpasswd"))
            return setup_failed("docker-registry and htpasswd (apt-get install docker-registry apache2-utils; "
                                "scripts/setup --tests)");
        Project lister("pulllist", 26950);
        auto list = lister.run({"--profile", "core", "images", "list", "--json"});
        if (list.exit_code != 0) return setup_failed("envctl images list: " + output(list));
        const auto listed = nlohmann::json::parse(list.out);  // kept alive: the loop walks inside it
        for (const auto& s : listed.at("services")) {
            const std::string upstream = s["upstream"]["image"];
            const std::string local = s["local"]["image"];
            if (image_id(local).empty())
                return setup_failed(local + " (envctl images build --profile core)");
            // An upstream name already here must be one a previous run of this suite left (the local image's id):
            // any other is not ours to remove.
            if (auto id = image_id(upstream); !id.empty() && id != image_id(local))
                return setup_failed(upstream + " is present and is not the local image: this suite would pull over it");
            if (std::find(upstream_.begin(), upstream_.end(), upstream) == upstream_.end()) {
                upstream_.push_back(upstream);
                local_.push_back(local);
            }
        }
        storage_ = std::make_unique<envctl::test::TempDir>();
        registry_ = std::make_unique<envctl::test::LocalRegistry>(storage_->path() / "data", false);
        if (!registry_->ready(&why)) return setup_failed(why);
        for (std::size_t i = 0; i < upstream_.size(); ++i)
            if (!registry_->push(local_[i], upstream_[i], &why)) return setup_failed(why);
        conf_dir_ = std::make_unique<envctl::test::TempDir>();
        ready_ = true;
    }
    static void TearDownTestSuite() {
        remove_pulled();
        registry_.reset();
        storage_.reset();  // the pushed blobs
        conf_dir_.reset();
    }
    static void setup_failed(const std::string& why) { why_not_ = why; }

    void SetUp() override {
        REQUIRE_PREREQUISITE(ready_, why_not_);
        remove_pulled();
    }
    void TearDown() override { remove_pulled(); }

    // Untags the upstream names (the images stay under their local names).
    static void remove_pulled() {
        for (const auto& image : upstream_)
            if (!image_id(image).empty()) podman({"rmi", image});
    }
    static bool any_pulled() {
        for (const auto& image : upstream_)
            if (!image_id(image).empty()) return true;
        return false;
    }
    // podman pointed at `port` as the mirror of the upstream registries.
    static std::string conf_for(int port) {
        auto dir = conf_dir_->path() / std::to_string(port);
        std::filesystem::create_directories(dir);
        return envctl::test::write_mirror_registries_conf(dir, port).string();
    }
    static void expect_nothing_created(const Project& p) {
        EXPECT_TRUE(p.containers().empty());
        EXPECT_TRUE(p.volumes().empty());
        EXPECT_FALSE(p.network_exists());
    }

    void up_core_pulls_and_comes_up(const std::string& project, int first_port, const std::string& engine) {
        Project p(project, first_port);
        p.set("CONTAINERS_REGISTRIES_CONF", conf_for(registry_->port()));
        auto up = p.run({"--profile", "core", "--engine", engine, "up"});
        ASSERT_EQ(up.exit_code, 0) << output(up);
        for (const auto& image : upstream_) {
            EXPECT_TRUE(has(up.err, image + ": pulled ")) << image << "\n" << up.err;
            EXPECT_FALSE(image_id(image).empty()) << image;
        }
        EXPECT_FALSE(has(up.err, "attempt 2")) << up.err;
        auto status = p.run({"--profile", "core", "status", "--json"});
        ASSERT_EQ(status.exit_code, 0) << output(status);
        EXPECT_TRUE(nlohmann::json::parse(status.out)["ready"].get<bool>()) << status.out;
        auto down = p.run({"down", "--volumes"});
        EXPECT_EQ(down.exit_code, 0) << output(down);
        expect_nothing_created(p);
    }

    static inline bool ready_ = false;
    static inline std::string why_not_ = "the suite's setup did not run";
    static inline std::vector<std::string> upstream_;
    static inline std::vector<std::string> local_;
    static inline std::unique_ptr<envctl::test::TempDir> storage_;
    static inline std::unique_ptr<envctl::test::TempDir> conf_dir_;
    static inline std::unique_ptr<envctl::test::LocalRegistry> registry_;
};

}  // namespace

TEST_F(RegistryPull, DefaultUpOfTheCoreProfileWithUpstreamNamesPullsAndComesUp) {
    up_core_pulls_and_comes_up("pullnative", 26960, "podman");
}

TEST_F(RegistryPull, PodmanComposeEngineGetsItsImagesTheSameWay) {
    up_core_pulls_and_comes_up("pullcompose", 26965, "podman-compose");
}

TEST_F(RegistryPull, ImagesCheckSeesPushedSingleImageManifestsAsPullableAndImagesPullPullsThem) {
    Project p("pullcheck", 26970);
    p.set("CONTAINERS_REGISTRIES_CONF", conf_for(registry_->port()));
    auto check = p.run({"--profile", "core", "images", "check"});
    EXPECT_EQ(check.exit_code, 0) << output(check);
    auto pull = p.run({"--profile", "core", "images", "pull"});
    ASSERT_EQ(pull.exit_code, 0) << output(pull);
    EXPECT_TRUE(has(pull.out, std::to_string(upstream_.size()) + " image(s) pulled")) << pull.out;
    for (const auto& image : upstream_) EXPECT_FALSE(image_id(image).empty()) << image;
    auto again = p.run({"--profile", "core", "images", "pull"});
    EXPECT_TRUE(has(again.out, "0 image(s) pulled")) << again.out;
    expect_nothing_created(p);
}

TEST_F(RegistryPull, ImageAbsentFromTheRegistryIsNotFoundExitSevenWithoutRetry) {
    Project p("pullmissing", 26975);
    p.set("CONTAINERS_REGISTRIES_CONF", conf_for(registry_->port()));
    const std::string opa = "docker.io/openpolicyagent/opa:1.19.1";  // never pushed
    auto up = p.run({"up", "opa"});
    EXPECT_EQ(up.exit_code, 7) << output(up);
    EXPECT_TRUE(has(up.err, "opa: " + opa + ": not found")) << up.err;
    EXPECT_TRUE(has(up.err, "manifest unknown")) << up.err;
    EXPECT_TRUE(has(up.err, "no retry follows")) << up.err;
    EXPECT_FALSE(has(up.err, "attempt")) << up.err;  // failed before any attempt: nothing to retry
    expect_nothing_created(p);
    auto pull = p.run({"images", "pull", "opa"});
    EXPECT_EQ(pull.exit_code, 7) << output(pull);
    EXPECT_TRUE(has(pull.err, "not found")) << pull.err;
}

TEST_F(RegistryPull, RegistryInHtpasswdModeIsUnauthorizedWithTheLoginHint) {
    envctl::test::LocalRegistry locked(storage_->path() / "data", true);
    std::string why;
    ASSERT_TRUE(locked.ready(&why)) << why;
    Project p("pullauth", 26980);
    p.set("CONTAINERS_REGISTRIES_CONF", conf_for(locked.port()));
    auto up = p.run({"--profile", "core", "up"});
    EXPECT_EQ(up.exit_code, 7) << output(up);
    EXPECT_TRUE(has(up.err, "unauthorized")) << up.err;
    EXPECT_TRUE(has(up.err, "podman login " + locked.address())) << up.err;
    // The first refusal cancels the other pulls, and whichever it was names its service and image.
    EXPECT_TRUE(has(up.err, "postgresql: docker.io/library/postgres:16.15-alpine: unauthorized") ||
                has(up.err, "redis-dapr: docker.io/library/redis:7.4.11-alpine: unauthorized") ||
                has(up.err, "azurite: mcr.microsoft.com/azure-storage/azurite:3.35.0: unauthorized"))
        << up.err;
    EXPECT_FALSE(any_pulled());
    expect_nothing_created(p);
}

TEST_F(RegistryPull, RegistryThatStopsAnsweringMidPullEndsAtThePullDeadline) {
    envctl::test::StallingProxy proxy(registry_->port());
    Project p("pullstall", 26985);
    p.set("CONTAINERS_REGISTRIES_CONF", conf_for(proxy.port()));
    p.set("ENVCTL_PULL_TIMEOUT", "3s");
    p.set("ENVCTL_READY_BUDGET", "30s");
    auto up = p.run({"--profile", "core", "up"});
    EXPECT_EQ(up.exit_code, 7) << output(up);
    EXPECT_GT(proxy.stalled(), 0) << "the pull never reached a blob";
    EXPECT_TRUE(has(up.err, "timed out")) << up.err;
    EXPECT_TRUE(has(up.err, "ENVCTL_PULL_TIMEOUT")) << up.err;
    EXPECT_LT(up.elapsed, 60s) << "the pull deadline did not end it";
    EXPECT_FALSE(any_pulled());
    expect_nothing_created(p);
}

// The pulls in the live view (issue 15): `images pull` of the core profile in tmux panes of 60x20 and 40x8 shows a
// line per image, each once in the final screen with its size, none wider than the pane, nothing glued; on a
// pseudo-terminal the block shows podman's progress (blobs, bytes); with CI=true and piped output, one plain line
// per event and no escape sequence.
TEST_F(RegistryPull, PullsAreALinePerImageInTheLiveViewAndPlainElsewhere) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::tmux_usable(&why), why);
    Project p("pullview", 26990);
    p.set("CONTAINERS_REGISTRIES_CONF", conf_for(registry_->port()));
    std::vector<std::string> argv = {ENVCTL_BINARY, "--project-dir", p.dir().string(), "--profile", "core", "images", "pull"};
    // An image's line starts with its name, which a narrow pane cuts: the first 20 characters tell them apart.
    auto is_image_line = [](const std::string& line, const std::string& image) { return line.rfind("  " + image.substr(0, 20), 0) == 0; };
    for (std::size_t columns : {60u, 40u}) {
        const std::size_t rows = columns == 60 ? 20 : 8;
        SCOPED_TRACE(std::to_string(columns) + "x" + std::to_string(rows));
        remove_pulled();
        envctl::test::TmuxSession session(columns, rows, argv, p.environment());
        ASSERT_EQ(session.wait_exit(2min), 0) << ::testing::PrintToString(session.screen(true, true));
        const auto visible = session.screen();
        const auto all = session.screen(true, true);
        const std::string shown = ::testing::PrintToString(all);
        for (const auto& image : upstream_) {
            EXPECT_FALSE(image_id(image).empty()) << image;
            EXPECT_EQ(std::count_if(visible.begin(), visible.end(), [&](const auto& l) { return is_image_line(l, image); }), 1) << image << shown;
            EXPECT_EQ(std::count_if(all.begin(), all.end(), [&](const auto& l) { return is_image_line(l, image); }), 1) << image << shown;
        }
        for (const auto& line : all) {
            auto prefix = line.find("envctl: ");
            EXPECT_TRUE(prefix == std::string::npos || prefix == 0) << "glued: " << line << shown;
            EXPECT_EQ(std::count_if(upstream_.begin(), upstream_.end(), [&](const auto& image) { return has(line, image.substr(0, 20)); }) > 1, false) << "glued: " << line << shown;
            bool block_line = std::any_of(upstream_.begin(), upstream_.end(), [&](const auto& image) { return is_image_line(line, image); });
            if (!block_line) continue;
            EXPECT_LT(envctl::ui::display_width(line), columns) << line << shown;
            if (columns == 60) {
                EXPECT_TRUE(has(line, " pulled ")) << line << shown;  // "pulled 12.3 MB in 1.2s"
            }
        }
    }

    // On a pseudo-terminal (util-linux script), the block shows podman's progress as it comes.
    remove_pulled();
    std::string line;
    for (const auto& a : argv) line += (line.empty() ? "" : " ") + envctl::test::shell_quote(a);
    envctl::subprocess::Spec spec;
    spec.argv = {"script", "-qefc", line, "/dev/null"};
    auto env = envctl::subprocess::current_environment();
    for (const auto& [k, v] : p.environment()) env[k] = v;
    env.erase("CI");
    env["TERM"] = "xterm-256color";
    spec.env = env;
    spec.timeout = 2min;
    auto live = envctl::subprocess::run(spec);
    ASSERT_EQ(live.exit_code, 0) << live.out;
    EXPECT_TRUE(has(live.out, " blobs")) << "no progress from podman's API\n" << live.out;
    EXPECT_TRUE(has(live.out, "\x1b[J")) << live.out;

    // CI=true, piped: the start and the end of each pull, no progress ticks, no escape sequence.
    remove_pulled();
    p.set("CI", "true");
    p.set("TERM", "xterm-256color");
    auto plain = p.run({"--profile", "core", "images", "pull"});
    ASSERT_EQ(plain.exit_code, 0) << output(plain);
    EXPECT_FALSE(has(plain.err, "\x1b")) << plain.err;
    EXPECT_FALSE(has(plain.err, "blobs")) << plain.err;
    for (const auto& image : upstream_) {
        EXPECT_TRUE(has(plain.err, "envctl: " + image + ": pulling\n")) << plain.err;
        EXPECT_TRUE(has(plain.err, "envctl: " + image + ": pulled ")) << plain.err;
    }
}
