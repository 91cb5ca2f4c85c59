// Teardown is one `podman rm` call: containers whose PID 1 ignores SIGTERM (busybox httpd) do not each cost a
// stop timeout, as they do with `podman-compose down` (10 s each).

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "envctl/engine/podman_engine.hpp"
#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"

namespace envctl::test {
namespace {

TEST(EngineTeardown, RemoveAllOfFiveSigtermIgnoringContainersTakesOneShortGrace) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack("enginetest_teardown", 25300);  // for its cleanup and leftovers()
    engine::ProjectSpec spec;
    spec.project = stack.project();
    spec.compose_file = stack.compose_file();
    spec.environment = stack.environment();
    std::vector<std::string> names;
    for (int i = 0; i < 5; ++i) {
        names.push_back("web" + std::to_string(i));
        spec.services.push_back(busybox_httpd(names.back(), "core", 25300 + i));
        spec.services.back().config_hash = "h";
    }
    engine::PodmanEngine e({spec.project, spec.environment, {}}, [spec] { return spec; });
    auto deadline = Clock::now() + std::chrono::seconds(120);
    e.create(names, deadline);
    e.start(names, deadline);
    ASSERT_EQ(e.list(deadline).size(), 5u);

    auto started = Clock::now();
    e.remove_all(false, deadline);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    // Sequential stops would take 5 x 10 s; one call with a 1 s grace takes about 1.5 s here.
    EXPECT_LT(took.count(), 10000) << "remove_all took " << took.count() << " ms";
    EXPECT_EQ(stack.leftovers(), std::vector<std::string>{});
}

}  // namespace
}  // namespace envctl::test

namespace envctl::test {
namespace {

// A container that exits: list() reports its exit code, and follow_logs() returns when it ends.
TEST(EngineLogs, FollowEndsWhenTheContainerExitsAndListShowsItsExitCode) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack("enginetest_follow", 25310);
    engine::ProjectSpec spec;
    spec.project = stack.project();
    spec.compose_file = stack.compose_file();
    spec.environment = stack.environment();
    spec.services.push_back(busybox_httpd("once", "core", 25310));
    spec.services.back().command = {"sh", "-c", "echo first; sleep 2; echo second >&2; exit 3"};
    engine::PodmanEngine e({spec.project, spec.environment, {}}, [spec] { return spec; });
    auto deadline = Clock::now() + std::chrono::seconds(60);
    e.create({"once"}, deadline);
    e.start({"once"}, deadline);

    std::vector<std::string> lines;
    int rc = e.follow_logs("once", 10, [&](const std::string& line) { lines.push_back(line); });
    EXPECT_EQ(rc, 0);
    EXPECT_EQ(lines, (std::vector<std::string>{"first", "second"}));

    auto listed = e.list(deadline);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].state, engine::ContainerState::exited);
    ASSERT_TRUE(listed[0].exit_code.has_value());
    EXPECT_EQ(*listed[0].exit_code, 3);
    EXPECT_TRUE(listed[0].started_at_ms.has_value());
}

}  // namespace
}  // namespace envctl::test
