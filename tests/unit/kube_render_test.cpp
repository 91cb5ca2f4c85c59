// The Kubernetes rendering: the small stack's golden tree, Secret references instead of values, and the Secret
// `envctl kube secret` prints.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/rendering/kube.hpp"
#include "envctl/util/files.hpp"
#include "support/small_stack.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using envctl::rendering::kube::Options;
using envctl::rendering::kube::render;
using envctl::test::small_stack;

namespace {

const fs::path kGolden = fs::path(ENVCTL_TEST_DATA) / "kube" / "small_stack";

Options small_options() {
    Options o;
    o.project = "smalltest";
    o.project_dir = fs::path(ENVCTL_TEST_DATA) / "kube" / "project";
    return o;
}

std::map<std::string, std::string> files_under(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file())
            out[entry.path().lexically_relative(dir).generic_string()] = envctl::files::read(entry.path());
    return out;
}


}  // namespace

// tests/data/kube/small_stack/ was written by this rendering and reviewed by hand; ENVCTL_UPDATE_GOLDEN=1 rewrites it.
TEST(KubeRender, SmallStackMatchesTheGoldenTree) {
    const auto tree = render(small_stack(), small_options());
    if (std::getenv("ENVCTL_UPDATE_GOLDEN") != nullptr) {
        fs::remove_all(kGolden);
        for (const auto& [path, content] : tree) {
            fs::create_directories((kGolden / path).parent_path());
            envctl::files::write_atomic(kGolden / path, content);
        }
    }
    const auto golden = files_under(kGolden);
    ASSERT_EQ(tree.size(), golden.size());
    for (const auto& [path, content] : tree) {
        ASSERT_TRUE(golden.count(path)) << path << " is not in the golden tree";
        EXPECT_EQ(content, golden.at(path)) << path;
    }
}

TEST(KubeRender, SameTreeOnEveryRun) {
    EXPECT_EQ(render(small_stack(), small_options()), render(small_stack(), small_options()));
}

TEST(KubeRender, SecretsAreReferencesToTheProjectSecret) {
    const auto tree = render(small_stack(), small_options());
    const std::string& db = tree.at("base/db/statefulset.yaml");
    EXPECT_NE(db.find("        - name: POSTGRES_PASSWORD\n          valueFrom:\n            secretKeyRef:\n"
                      "              name: smalltest-secrets\n              key: DB_PASSWORD\n"),
              std::string::npos)
        << db;
    for (const auto& [path, content] : tree) EXPECT_EQ(content.find("${"), std::string::npos) << path;
}

TEST(KubeRender, ReferencesInsideTextBecomeVariablesFromTheSecret) {
    auto stack = envctl::descriptors::parse_stack(R"y(mode: replace
services:
  app:
    group: core
    image: busybox:1.36
    command: [sh, -c, 'echo ${GREETING} costs $$5']
    environment:
      URL: postgres://${DB_USER}@db/app
      PLAIN: "a$$(b)"
    probe: {kind: command, command: ["true"]}
)y",
                                                  "inline.yaml");
    const auto tree = render(stack, small_options());
    const std::string& app = tree.at("base/app/deployment.yaml");
    // The Secret's variables first (Kubernetes expands $(VAR) only from those listed before), then the declared.
    const auto db_user = app.find("- name: DB_USER\n          valueFrom:");
    const auto greeting = app.find("- name: GREETING\n          valueFrom:");
    const auto url = app.find("- name: URL\n          value: \"postgres://$(DB_USER)@db/app\"");
    ASSERT_NE(db_user, std::string::npos) << app;
    ASSERT_NE(greeting, std::string::npos) << app;
    ASSERT_NE(url, std::string::npos) << app;
    EXPECT_LT(db_user, url);
    EXPECT_NE(app.find("\"echo $(GREETING) costs $$5\""), std::string::npos) << app;  // "$$" reads back as "$"
    EXPECT_NE(app.find("value: \"a$$(b)\""), std::string::npos) << app;
}

TEST(KubeRender, WhatAClusterCannotTakeIsRefusedNamingTheService) {
    auto stack = envctl::descriptors::parse_stack(R"y(mode: replace
services:
  app:
    group: core
    image: busybox:1.36
    user: nobody
    probe: {kind: command, command: ["true"]}
)y",
                                                  "inline.yaml");
    try {
        render(stack, small_options());
        FAIL() << "expected an error";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("service app, user"), std::string::npos) << e.what();
    }
}

TEST(KubeSecret, EveryReferencedVariableWithItsValueOrDefault) {
    auto stack = envctl::descriptors::parse_stack(R"y(mode: replace
services:
  app:
    group: core
    image: busybox:1.36
    command: [run, "${MODE:-fast}"]
    environment:
      API_TOKEN: ${APP_TOKEN}
      USER_NAME: ${APP_USER:?set APP_USER}
    probe: {kind: command, command: ["true"]}
)y",
                                                  "inline.yaml");
    std::map<std::string, std::string> vars{{"APP_TOKEN", "s3cr\"et"}, {"APP_USER", "alice"}};
    const envctl::references::Lookup lookup = [&](const std::string& n) -> const std::string* {
        auto it = vars.find(n);
        return it == vars.end() ? nullptr : &it->second;
    };
    const std::string secret = envctl::rendering::kube::secret_manifest(stack, {"app"}, "proj", lookup);
    EXPECT_EQ(secret,
              "apiVersion: v1\nkind: Secret\nmetadata:\n  name: proj-secrets\n  labels:\n"
              "    app.kubernetes.io/part-of: proj\n    app.kubernetes.io/managed-by: envctl\ntype: Opaque\n"
              "stringData:\n  APP_TOKEN: \"s3cr\\\"et\"\n  APP_USER: alice\n  MODE: fast\n");
    vars.erase("APP_USER");
    EXPECT_THROW(envctl::rendering::kube::secret_manifest(stack, {"app"}, "proj", lookup), envctl::Error);
}
