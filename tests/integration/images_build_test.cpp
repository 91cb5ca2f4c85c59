// Building local images for real (mmdebstrap from the Debian mirror, podman import): an unchanged recipe
// rebuilds nothing, a changed one rebuilds and replaces the image, a failed or interrupted build names its step,
// tags nothing and leaves no temporary files. The recipe tests use copies of the busybox recipe under
// localhost/envctl-test/ names (a build takes seconds), never the shared images' names.
#include <chrono>
#include "support/test_paths.hpp"
#include <filesystem>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/images/builder.hpp"
#include "envctl/images/recipe.hpp"
#include "support/images_fixture.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::vector<std::string> kFour{"localhost/envctl/postgresql:15", "localhost/envctl/redis:7",
                                     "localhost/envctl/azurite:3.35.0", "localhost/envctl/busybox:1.35"};

std::string image_id(const std::string& image) {
    auto r = podman_call({"image", "inspect", "--format", "{{.Id}}", image});
    return r.ok() ? r.out.substr(0, r.out.find('\n')) : "";
}

std::string label(const std::string& image, const std::string& name) {
    auto r = podman_call({"image", "inspect", "--format", "{{index .Labels \"" + name + "\"}}", image});
    return r.ok() ? r.out.substr(0, r.out.find('\n')) : "";
}

bool exists(const std::string& image_or_id) {
    auto name = image_or_id.rfind("sha256:", 0) == 0 ? image_or_id.substr(7) : image_or_id;
    return podman_call({"image", "exists", name}).exit_code == 0;
}

images::Recipe test_recipe(const std::string& image) {
    images::Recipe r = *images::find_recipe("busybox");
    r.name = "test-" + image.substr(image.rfind('/') + 1, image.find(':') - image.rfind('/') - 1);
    r.image = image;
    return r;
}

bool empty_dir(const fs::path& dir) { return fs::is_empty(dir); }

class ImagesBuild : public ::testing::Test {
protected:
    void SetUp() override {
        bool tools = subprocess::find_program("podman") && subprocess::find_program("mmdebstrap");
        REQUIRE_PREREQUISITE(tools, "podman and mmdebstrap");
    }
};

TEST_F(ImagesBuild, SecondBuildOfTheFourRebuildsNothing) {
    std::string why;
    bool built = ensure_local_images(&why);
    REQUIRE_PREREQUISITE(built, why);
    std::map<std::string, std::string> ids;
    double build_seconds = 0;
    for (const auto& image : kFour) {
        ids[image] = image_id(image);
        ASSERT_FALSE(ids[image].empty()) << image;
        EXPECT_EQ(label(image, "io.envctl.recipe-sha256"), images::recipe_hash(*images::find_recipe(image))) << image;
        build_seconds += std::max(1.0, std::stod("0" + label(image, "io.envctl.build-seconds")));
    }
    auto r = run_envctl({"images", "build", "postgresql", "redis", "azurite", "busybox"}, 600s);
    ASSERT_TRUE(r.ok()) << r.describe() << "\n" << r.out << r.err;
    for (const auto& image : kFour) {
        EXPECT_EQ(image_id(image), ids[image]) << image << " was rebuilt";
        EXPECT_NE(r.out.find(image + "\tup-to-date"), std::string::npos) << r.out;
    }
    // Seconds, against the minutes the builds took (their io.envctl.build-seconds labels).
    double noop_seconds = std::chrono::duration<double>(r.elapsed).count();
    EXPECT_LT(noop_seconds * 10, build_seconds) << "no-op " << noop_seconds << " s, builds " << build_seconds << " s";
}

TEST_F(ImagesBuild, RebuildsOnlyWhenTheRecipeChanges) {
    const std::string image = "localhost/envctl-test/images-rebuild:1";
    podman_call({"rmi", "-f", image});
    auto recipe = test_recipe(image);

    auto first = images::build(recipe, {});
    ASSERT_EQ(first.outcome, images::BuildOutcome::built);
    EXPECT_EQ(label(image, "io.envctl.recipe-sha256"), images::recipe_hash(recipe));
    EXPECT_EQ(images::local_state(recipe, Clock::now() + 30s), images::LocalState::current);

    auto second = images::build(recipe, {});
    EXPECT_EQ(second.outcome, images::BuildOutcome::up_to_date);
    EXPECT_EQ(second.image_id, first.image_id);
    EXPECT_EQ(image_id(image), first.image_id);
    EXPECT_LT(second.elapsed * 5, first.elapsed) << "no-op " << second.elapsed.count() << " ms, build "
                                                 << first.elapsed.count() << " ms";

    auto changed = recipe;
    changed.files.push_back({"/etc/envctl-test-marker", "changed\n", 0644});
    EXPECT_EQ(images::local_state(changed, Clock::now() + 30s), images::LocalState::stale);
    auto third = images::build(changed, {});
    EXPECT_EQ(third.outcome, images::BuildOutcome::built);
    EXPECT_NE(third.image_id, first.image_id);
    EXPECT_EQ(image_id(image), third.image_id);
    EXPECT_EQ(podman_call({"run", "--rm", image, "cat", "/etc/envctl-test-marker"}).out, "changed\n");
    EXPECT_FALSE(exists(first.image_id)) << "the replaced image was left behind";
    podman_call({"rmi", "-f", image});
}

TEST_F(ImagesBuild, AFailedBuildNamesItsStepTagsNothingAndLeavesNoFiles) {
    const std::string image = "localhost/envctl-test/images-broken:1";
    podman_call({"rmi", "-f", image});
    TempDir work;
    images::BuildOptions options;
    options.work_root = work.path();

    // A good image first: a failed rebuild must leave it as it was.
    auto good = test_recipe(image);
    ASSERT_EQ(images::build(good, options).outcome, images::BuildOutcome::built);
    const auto good_id = image_id(image);

    auto expect_failure = [&](images::Recipe broken, const std::string& step, const std::string& mention) {
        try {
            images::build(broken, options);
            ADD_FAILURE() << "the build of " << broken.image << " succeeded";
        } catch (const Error& e) {
            std::string message = e.what();
            EXPECT_EQ(e.code(), ExitCode::internal) << message;
            EXPECT_NE(message.find("failed at step " + step), std::string::npos) << message;
            EXPECT_NE(message.find(image), std::string::npos) << message;
            EXPECT_NE(message.find(mention), std::string::npos) << message;
        }
        EXPECT_EQ(image_id(image), good_id) << "a failed build replaced the image";
        EXPECT_TRUE(empty_dir(work.path())) << "temporary files left in " << work.path();
    };

    auto failing_hook = good;
    failing_hook.hooks.push_back({images::HookStage::extract, "echo envctl-test-hook-fails >&2; false"});
    expect_failure(failing_hook, "mmdebstrap", "envctl-test-hook-fails");

    auto missing_package = good;
    missing_package.packages.push_back("envctl-no-such-package");
    expect_failure(missing_package, "mmdebstrap", "envctl-no-such-package");

    auto bad_change = good;
    bad_change.changes.push_back("EXPOSE 1 2");
    expect_failure(bad_change, "podman import", "EXPOSE");
    podman_call({"rmi", "-f", image});
}

TEST_F(ImagesBuild, AnInterruptedBuildTagsNothingAndCleansUp) {
    std::string why;
    bool built = ensure_local_images(&why);
    REQUIRE_PREREQUISITE(built, why);
    const auto before = image_id("localhost/envctl/busybox:1.35");
    TempDir tmp;
    subprocess::Spec spec;
    spec.argv = {ENVCTL_BINARY, "--project-dir", ENVCTL_REPO_ROOT, "images", "build", "busybox", "--force"};
    auto env = subprocess::current_environment();
    env["TMPDIR"] = tmp.path().string();
    spec.env = env;
    spec.timeout = 3s;         // SIGTERM while mmdebstrap works
    spec.kill_grace = 120s;    // envctl stops mmdebstrap and removes its folder in its own time
    auto r = subprocess::run(spec);
    EXPECT_TRUE(r.timed_out) << r.describe() << "\n" << r.err;
    EXPECT_EQ(r.exit_code, 130) << r.describe() << "\n" << r.err;
    EXPECT_EQ(image_id("localhost/envctl/busybox:1.35"), before);
    EXPECT_TRUE(empty_dir(tmp.path())) << "temporary files left in " << tmp.path();
}

}  // namespace
}  // namespace envctl::test
