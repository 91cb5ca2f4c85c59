// Issue 14 finding 7: the run file's config hashes cover what a container actually runs (mounted files' contents
// and absolute paths, image ids), while the committed compose file stays machine-independent.

#include "envctl/engine/run_facts.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "envctl/compose/renderer.hpp"
#include "envctl/compose/run_file.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/tree_digest.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using envctl::compose::RenderOptions;
using envctl::compose::service_config_hash;
using envctl::test::TempDir;

namespace {

const char* kStack = R"(mode: replace
services:
  conf:
    group: core
    image: localhost/envctl/busybox:1.35
    mounts:
      - {source: site/index.html, target: /www/index.html}
      - {source: conf.d, target: /etc/conf.d}
    probe: {kind: tcp, port_variable: CONF_PORT}
    ports:
      - {variable: CONF_PORT, container: 8080}
  plain:
    group: core
    image: localhost/envctl/busybox:1.35
    probe: {kind: tcp, port_variable: PLAIN_PORT}
    ports:
      - {variable: PLAIN_PORT, container: 8080}
)";

struct Checkout {
    TempDir dir;
    envctl::settings::Settings settings;
    Checkout() {
        dir.write("site/index.html", "hello\n");
        dir.write("conf.d/a.conf", "a=1\n");
        dir.write("conf.d/sub/b.conf", "b=2\n");
        settings.project_dir = dir.path();
    }
    std::string facts(const std::string& service) const {
        static const auto stack = envctl::descriptors::parse_stack(kStack, "stack.yaml");
        return envctl::engine::mount_facts(settings, stack.get(service));
    }
};

}  // namespace

TEST(TreeDigest, FollowsContentNotTimestamps) {
    TempDir dir;
    dir.write("f/a", "one");
    dir.write("f/b/c", "two");
    const auto before = envctl::tree_digest::of(dir / "f");
    fs::last_write_time(dir / "f/a", fs::last_write_time(dir / "f/a") - std::chrono::hours(2));
    EXPECT_EQ(envctl::tree_digest::of(dir / "f"), before) << "touching a file changes nothing";
    dir.write("f/b/c", "three");
    const auto edited = envctl::tree_digest::of(dir / "f");
    EXPECT_NE(edited, before);
    dir.write("f/b/d", "");
    EXPECT_NE(envctl::tree_digest::of(dir / "f"), edited) << "a new file counts";
    EXPECT_EQ(envctl::tree_digest::of(dir / "missing"), envctl::tree_digest::of(dir / "missing"));
    EXPECT_NE(envctl::tree_digest::of(dir / "missing"), before);
}

TEST(TreeDigest, SymlinksInsideAreDescribedNotFollowed) {
    TempDir dir;
    dir.write("outside/secret", "x");
    dir.write("f/a", "one");
    fs::create_directory_symlink(dir / "outside", dir / "f/link");
    const auto before = envctl::tree_digest::of(dir / "f");
    dir.write("outside/secret", "y");
    EXPECT_EQ(envctl::tree_digest::of(dir / "f"), before) << "what a link points to is not read";
}

TEST(TreeDigest, BoundedByBytesAndEntries) {
    TempDir dir;
    dir.write("f/a", std::string(100, 'a'));
    dir.write("f/b", std::string(100, 'b'));
    envctl::tree_digest::Limits small{150, 10000};
    const auto before = envctl::tree_digest::of(dir / "f", small);
    EXPECT_EQ(envctl::tree_digest::of(dir / "f", small), before) << "deterministic past the byte budget";
    dir.write("f/a", std::string(100, 'c'));  // within the budget: read
    EXPECT_NE(envctl::tree_digest::of(dir / "f", small), before);
    for (int i = 0; i < 20; ++i) dir.write("g/" + std::to_string(i), "x");
    envctl::tree_digest::Limits few{1024, 5};
    const auto truncated = envctl::tree_digest::of(dir / "g", few);
    EXPECT_EQ(envctl::tree_digest::of(dir / "g", few), truncated);
}

TEST(RunFacts, MountsAreNamedByAbsolutePathAndContent) {
    Checkout first;
    const auto facts = first.facts("conf");
    EXPECT_NE(facts.find("mount " + fs::canonical(first.dir / "site/index.html").string() + " "), std::string::npos)
        << facts;
    EXPECT_EQ(first.facts("conf"), facts) << "nothing changed: same facts";
    EXPECT_EQ(first.facts("plain"), "") << "a service without mounts has no mount facts";

    first.dir.write("site/index.html", "changed\n");
    EXPECT_NE(first.facts("conf"), facts) << "an edited mounted file";
    const auto edited = first.facts("conf");
    first.dir.write("conf.d/sub/b.conf", "b=3\n");
    EXPECT_NE(first.facts("conf"), edited) << "an edited file inside a mounted folder";

    Checkout second;  // same files, another checkout
    second.dir.write("site/index.html", "changed\n");
    second.dir.write("conf.d/sub/b.conf", "b=3\n");
    EXPECT_NE(second.facts("conf"), first.facts("conf")) << "another checkout's files are other files";
}

TEST(RunFacts, ConfigHashCoversTheFactsAndTheCommittedFileNever) {
    const auto stack = envctl::descriptors::parse_stack(kStack, "stack.yaml");
    const auto& conf = stack.get("conf");
    RenderOptions run;
    run.resolved_values = {{"CONF_PORT", "8080"}};
    const auto base = service_config_hash(conf, run);
    auto with_mounts = run;
    with_mounts.run_facts = {{"conf", "mount /a/site/index.html 1111\n"}};
    EXPECT_NE(service_config_hash(conf, with_mounts), base);
    auto edited = run;
    edited.run_facts = {{"conf", "mount /a/site/index.html 2222\n"}};
    EXPECT_NE(service_config_hash(conf, edited), service_config_hash(conf, with_mounts));
    auto rebuilt = with_mounts;
    rebuilt.run_facts["conf"] += "image-id abc\n";
    EXPECT_NE(service_config_hash(conf, rebuilt), service_config_hash(conf, with_mounts)) << "another image id";
    auto other_service = with_mounts;
    other_service.run_facts["plain"] = "image-id def\n";
    EXPECT_EQ(service_config_hash(conf, other_service), service_config_hash(conf, with_mounts))
        << "another service's facts change nothing here";
    // The rendered file shows the hash, never the facts.
    const std::string text = envctl::compose::render(stack, rebuilt);
    EXPECT_EQ(text.find("image-id"), std::string::npos);
    EXPECT_EQ(text.find("/a/site"), std::string::npos);
}

TEST(RunFacts, RunFileOptionsCarryTheFacts) {
    Checkout c;
    c.settings.images = envctl::settings::ImageFlavour::local;
    auto options = envctl::compose::run_file_options(c.settings, {"conf"}, {{"conf", "image-id x\n"}});
    EXPECT_EQ(options.images, envctl::settings::ImageFlavour::local);
    EXPECT_EQ(options.services, std::vector<std::string>{"conf"});
    EXPECT_EQ(options.run_facts.at("conf"), "image-id x\n");
}
