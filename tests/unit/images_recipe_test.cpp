// The local images' recipes and the commands built from them, with no podman or mmdebstrap needed.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/images/builder.hpp"
#include "envctl/images/podman_images.hpp"
#include "envctl/images/recipe.hpp"

namespace envctl::images {
namespace {

bool has(const std::vector<std::string>& v, const std::string& item) {
    return std::find(v.begin(), v.end(), item) != v.end();
}

std::ptrdiff_t index_of(const std::vector<std::string>& v, const std::string& prefix) {
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i].rfind(prefix, 0) == 0) return static_cast<std::ptrdiff_t>(i);
    return -1;
}

TEST(ImagesRecipe, TheFiveImagesLiveUnderLocalhostEnvctl) {
    std::set<std::string> images;
    for (const auto& r : recipes()) {
        EXPECT_EQ(r.image.rfind("localhost/envctl/", 0), 0u) << r.image;
        images.insert(r.image);
    }
    EXPECT_EQ(images, (std::set<std::string>{"localhost/envctl/postgresql:15", "localhost/envctl/redis:7",
                                             "localhost/envctl/azurite:3.35.0", "localhost/envctl/cosmosdb-server:1.0.1",
                                             "localhost/envctl/busybox:1.35"}));
}

TEST(ImagesRecipe, TheCosmosDbStandInSaysSoAndServesTheEmulatorsPorts) {
    const auto& r = *find_recipe("cosmosdb-server");
    EXPECT_EQ(r.stand_in_for, "the Cosmos DB emulator");
    EXPECT_NE(r.summary.find("stand-in"), std::string::npos) << r.summary;
    for (const auto& other : recipes())
        if (&other != &r) {
            EXPECT_EQ(other.stand_in_for, "") << other.name;
        }
    EXPECT_TRUE(has(r.changes, "EXPOSE 8080"));
    EXPECT_TRUE(has(r.changes, "EXPOSE 8081"));
    EXPECT_TRUE(has(r.packages, "curl"));  // the descriptor's healthcheck
    // The same npm-on-Debian's-Node shape as Azurite: the package installed inside the root, the close-idle preload.
    for (const char* name : {"azurite", "cosmosdb-server"}) {
        const auto& n = *find_recipe(name);
        EXPECT_TRUE(has(n.packages, "nodejs")) << name;
        EXPECT_TRUE(n.needs_host_ca) << name;
        EXPECT_TRUE(std::any_of(n.files.begin(), n.files.end(), [](const RecipeFile& f) {
            return f.path == "/usr/local/lib/envctl/node-close-idle.js";
        })) << name;
    }
    EXPECT_GE(index_of({r.hooks.at(0).command}, "chroot \"$1\" env NODE_EXTRA_CA_CERTS=/tmp/envctl-host-ca.crt npm install"), 0);
    EXPECT_NE(r.hooks.at(0).command.find("@vercel/cosmosdb-server@1.0.1"), std::string::npos);
    // The wrapper answers the emulator's /ready on 8080 and serves the gateway on 8081.
    const auto wrapper = std::find_if(r.files.begin(), r.files.end(), [](const RecipeFile& f) {
        return f.path == "/usr/local/lib/envctl/cosmosdb-stand-in.js";
    });
    ASSERT_NE(wrapper, r.files.end());
    EXPECT_NE(wrapper->content.find("'/ready'"), std::string::npos);
    EXPECT_NE(wrapper->content.find("listen(8081"), std::string::npos);
    EXPECT_NE(wrapper->content.find("listen(8080"), std::string::npos);
}

TEST(ImagesRecipe, NeverBuildsUnderAnUpstreamName) {
    Recipe r = *find_recipe("busybox");
    r.image = "docker.io/library/busybox:1.35";
    try {
        build(r, {});
        ADD_FAILURE() << "built under an upstream name";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("never under an upstream name"), std::string::npos) << e.what();
    }
}

TEST(ImagesRecipe, FoundByNameOrImage) {
    ASSERT_NE(find_recipe("postgresql"), nullptr);
    EXPECT_EQ(find_recipe("postgresql"), find_recipe("localhost/envctl/postgresql:15"));
    EXPECT_EQ(find_recipe("busybox")->image, "localhost/envctl/busybox:1.35");
    EXPECT_EQ(find_recipe("postgres:16.15-alpine"), nullptr);
    EXPECT_EQ(find_recipe("redis-dapr"), nullptr);  // a service name, not a recipe
}

TEST(ImagesRecipe, HashIsStableAndDistinctPerRecipe) {
    std::set<std::string> hashes;
    for (const auto& r : recipes()) {
        auto h = recipe_hash(r);
        EXPECT_EQ(h.size(), 64u);
        EXPECT_EQ(h, recipe_hash(r));
        hashes.insert(h);
    }
    EXPECT_EQ(hashes.size(), recipes().size());
}

TEST(ImagesRecipe, HashChangesWithEverythingThatDefinesTheImage) {
    const Recipe base = *find_recipe("redis");
    const auto h = recipe_hash(base);
    auto changed = [&h](auto mutate) {
        Recipe r = *find_recipe("redis");
        mutate(r);
        return recipe_hash(r) != h;
    };
    EXPECT_TRUE(changed([](Recipe& r) { r.packages.push_back("procps"); }));
    EXPECT_TRUE(changed([](Recipe& r) { r.variant = "apt"; }));
    EXPECT_TRUE(changed([](Recipe& r) { r.dpkg_options.pop_back(); }));
    EXPECT_TRUE(changed([](Recipe& r) { r.files.at(0).content += "\n# edited\n"; }));
    EXPECT_TRUE(changed([](Recipe& r) { r.files.at(0).mode = 0700; }));
    EXPECT_TRUE(changed([](Recipe& r) { r.hooks.at(0).command += " "; }));
    EXPECT_TRUE(changed([](Recipe& r) { r.hooks.at(0).stage = HookStage::extract; }));
    EXPECT_TRUE(changed([](Recipe& r) { r.changes.push_back("EXPOSE 6380"); }));
    EXPECT_TRUE(changed([](Recipe& r) { r.needs_host_ca = true; }));
    // Field boundaries count: the same text split differently is a different recipe.
    Recipe joined = base, split = base;
    joined.packages = {"redis-server,procps"};
    split.packages = {"redis-server", "procps"};
    EXPECT_NE(recipe_hash(joined), recipe_hash(split));
    // What does not define the image leaves the hash alone.
    EXPECT_FALSE(changed([](Recipe& r) { r.summary = "another description"; }));
    EXPECT_FALSE(changed([](Recipe& r) { r.build_timeout = std::chrono::minutes(99); }));
}

TEST(ImagesRecipe, ServiceImagesRunAsRootOnlyToDropIt) {
    for (const char* name : {"postgresql", "redis", "azurite", "cosmosdb-server"}) {
        const auto& r = *find_recipe(name);
        ASSERT_GE(r.files.size(), 1u) << name;
        EXPECT_EQ(r.files[0].path.rfind("/usr/local/bin/envctl-", 0), 0u) << name;
        const auto& script = r.files[0].content;
        EXPECT_EQ(script.rfind("#!/bin/sh\n", 0), 0u) << name;
        EXPECT_NE(script.find("exec setpriv --reuid="), std::string::npos) << name;
        EXPECT_EQ(r.files[0].mode, 0755) << name;
        EXPECT_EQ(index_of(r.changes, "ENTRYPOINT [\"/usr/local/bin/envctl-"), 0) << name;
        EXPECT_GE(index_of(r.changes, "ENV PATH="), 0) << name;
        EXPECT_GE(index_of(r.changes, "STOPSIGNAL "), 0) << name;
    }
    EXPECT_TRUE(has(find_recipe("postgresql")->changes, "STOPSIGNAL SIGINT"));
    EXPECT_TRUE(has(find_recipe("postgresql")->changes, "ENV PGDATA=/var/lib/postgresql/data"));
    EXPECT_TRUE(has(find_recipe("busybox")->changes, "ENV PATH=/bin"));
}

TEST(ImagesRecipe, MmdebstrapCommandCopiesFilesFirstThenRunsHooksInOrder) {
    const auto& r = *find_recipe("postgresql");
    auto argv = mmdebstrap_argv(r, "/tmp/envctl-image-postgresql-abc");
    EXPECT_EQ(argv.front(), "mmdebstrap");
    EXPECT_TRUE(has(argv, "--variant=essential"));
    EXPECT_TRUE(has(argv, "--include=postgresql-15"));
    EXPECT_TRUE(has(argv, "--dpkgopt=path-exclude=/usr/share/doc/*"));
    auto sync = index_of(argv, "--customize-hook=sync-in /tmp/envctl-image-postgresql-abc/overlay /");
    ASSERT_GE(sync, 0);
    auto first_hook = index_of(argv, "--customize-hook=" + r.hooks.front().command);
    auto last_hook = index_of(argv, "--customize-hook=" + r.hooks.back().command);
    EXPECT_LT(sync, first_hook);
    EXPECT_LT(first_hook, last_hook);
    EXPECT_EQ(argv[argv.size() - 2], "bookworm");
    EXPECT_EQ(argv.back(), "/tmp/envctl-image-postgresql-abc/rootfs.tar");
}

TEST(ImagesRecipe, HostCaIsUploadedBeforeTheNetworkStepAndRemovedAfter) {
    const auto& r = *find_recipe("azurite");
    ASSERT_TRUE(r.needs_host_ca);
    auto argv = mmdebstrap_argv(r, "/w");
    auto upload = index_of(argv, "--customize-hook=upload /w/host-ca.crt /tmp/envctl-host-ca.crt");
    auto npm = index_of(argv, "--customize-hook=chroot \"$1\" env NODE_EXTRA_CA_CERTS=/tmp/envctl-host-ca.crt npm install");
    auto removed = index_of(argv, "--customize-hook=rm -f \"$1/tmp/envctl-host-ca.crt\"");
    ASSERT_GE(upload, 0);
    ASSERT_GE(npm, 0);
    ASSERT_GE(removed, 0);
    EXPECT_LT(upload, npm);
    EXPECT_LT(npm, removed);
    EXPECT_EQ(index_of(mmdebstrap_argv(*find_recipe("redis"), "/w"), "--customize-hook=upload"), -1);
}

TEST(ImagesRecipe, ExtractVariantUsesExtractHooksOnly) {
    auto argv = mmdebstrap_argv(*find_recipe("busybox"), "/w");
    EXPECT_TRUE(has(argv, "--variant=extract"));
    EXPECT_TRUE(has(argv, "--include=busybox-static"));
    EXPECT_GE(index_of(argv, "--extract-hook=sync-in /w/overlay /"), 0);
    EXPECT_GE(index_of(argv, "--extract-hook=chroot \"$1\" /bin/busybox --install -s /bin"), 0);
    EXPECT_EQ(index_of(argv, "--customize-hook="), -1);
}

TEST(ImagesRecipe, BuildFolderWithABlankIsRefused) {
    EXPECT_ANY_THROW(mmdebstrap_argv(*find_recipe("redis"), "/tmp/my builds/x"));
}

TEST(ImagesRecipe, ImportCarriesTheChangesAndTheRecipeLabel) {
    const auto& r = *find_recipe("redis");
    auto argv = import_argv(r, std::string(64, 'a'), 42, "/w/rootfs.tar");
    EXPECT_EQ(argv[0], "podman");
    EXPECT_EQ(argv[1], "import");
    EXPECT_TRUE(has(argv, "LABEL io.envctl.recipe-sha256=" + std::string(64, 'a')));
    EXPECT_TRUE(has(argv, "LABEL io.envctl.build-seconds=42"));
    for (const auto& c : r.changes) {
        auto at = std::find(argv.begin(), argv.end(), c);
        ASSERT_NE(at, argv.end()) << c;
        EXPECT_EQ(*(at - 1), "--change");
    }
    EXPECT_EQ(argv[argv.size() - 2], "/w/rootfs.tar");
    EXPECT_EQ(argv.back(), "localhost/envctl/redis:7");
}

TEST(ImagesPullCheck, ClassifiesManifestInspectOutcomes) {
    EXPECT_TRUE(classify_manifest_inspect(0, "").pullable);
    // podman 4.3 fetched a single-image manifest but only prints lists: the registry has it.
    EXPECT_TRUE(classify_manifest_inspect(125, "Error: unable to load manifest list: unsupported format "
                                               "\"application/vnd.docker.distribution.manifest.v2+json\"")
                    .pullable);
    auto dns = classify_manifest_inspect(
        125, "Error: reading image \"docker://redis:7.4-alpine\": pinging container registry registry-1.docker.io: "
             "Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host\n");
    EXPECT_FALSE(dns.pullable);
    EXPECT_EQ(dns.detail.rfind("registry unreachable: ", 0), 0u) << dns.detail;
    auto unknown = classify_manifest_inspect(125, "Error: reading manifest 9 in quay.io/x/y: manifest unknown\n");
    EXPECT_FALSE(unknown.pullable);
    EXPECT_EQ(unknown.detail.rfind("not in its registry: ", 0), 0u) << unknown.detail;
    EXPECT_FALSE(classify_manifest_inspect(125, "Error: unauthorized: access denied\n").pullable);
    auto short_name = classify_manifest_inspect(125, "Error: short-name \"redis:7\" did not resolve to an alias and no "
                                                     "unqualified-search registries are defined in \"/etc/containers/registries.conf\"\n");
    EXPECT_FALSE(short_name.pullable);
    EXPECT_TRUE(short_name.short_name);
    EXPECT_FALSE(dns.short_name);
}

TEST(ImagesPullCheck, LocalNamesAreNeverPulled) {
    EXPECT_TRUE(is_local_name("localhost/envctl/postgresql:15"));
    EXPECT_TRUE(is_local_name("localhost/envctl-test/absent:1"));
    EXPECT_FALSE(is_local_name("postgres:16.15-alpine"));
    EXPECT_FALSE(is_local_name("docker.io/library/redis:7"));
}

}  // namespace
}  // namespace envctl::images
