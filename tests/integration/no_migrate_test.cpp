// `up --no-migrate` (finding 4 of issue 14): PostgreSQL from the local image starts and is ready, but no migration
// runs; `migrate status` then shows everything pending, and a plain `up` migrates.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

}  // namespace

TEST(NoMigrate, UpStartsPostgresqlReadyButUnmigrated) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman({"ps", "-q"}).ok(), "podman ps failed");
    REQUIRE_PREREQUISITE(envctl::test::podman({"image", "exists", "localhost/envctl/postgresql:15"}).ok(),
                         "localhost/envctl/postgresql:15 (envctl images build postgresql)");

    envctl::test::TempDir dir;
    const std::filesystem::path repo = ENVCTL_REPO_ROOT;
    std::filesystem::copy(repo / "migrations", dir / "migrations", std::filesystem::copy_options::recursive);
    std::filesystem::copy(repo / "compose", dir / "compose", std::filesystem::copy_options::recursive);
    std::filesystem::copy(repo / ".env.development", dir / ".env.development");
    std::map<std::string, std::string> env{{"ENVCTL_PROJECT", "e2enomig"}, {"POSTGRES_PORT", "26921"},
                                           {"ENVCTL_LOCK_DIR", (dir / "locks").string()}};
    auto envctl = [&](std::vector<std::string> args) {
        envctl::subprocess::Spec spec;
        spec.argv = {ENVCTL_BINARY, "--project-dir", dir.path().string(), "--images", "local", "--profile", "core"};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        auto e = envctl::subprocess::current_environment();
        for (const auto& [k, v] : env) e[k] = v;
        spec.env = e;
        spec.timeout = std::chrono::minutes(3);
        return envctl::subprocess::run(spec);
    };
    struct Cleanup {
        std::function<void()> fn;
        ~Cleanup() { fn(); }
    } cleanup{[&] { envctl({"down", "--volumes"}); }};

    auto up = envctl({"up", "postgresql", "--no-migrate"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    EXPECT_NE(up.err.find("--no-migrate"), std::string::npos) << up.err;
    auto status = envctl({"migrate", "status", "--json"});
    EXPECT_EQ(status.exit_code, 6) << output(status);
    auto doc = nlohmann::json::parse(status.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << status.out;
    ASSERT_FALSE(doc["databases"].empty()) << status.out;
    for (const auto& d : doc["databases"]) EXPECT_FALSE(d["pending"].empty()) << d.dump();

    auto migrated = envctl({"up", "postgresql"});
    ASSERT_EQ(migrated.exit_code, 0) << output(migrated);
    EXPECT_EQ(envctl({"migrate", "status"}).exit_code, 0);
}
