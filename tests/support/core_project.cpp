#include "support/core_project.hpp"

#include <gtest/gtest.h>

#include "support/engine_stack.hpp"
#include "support/test_paths.hpp"

namespace envctl::test {

CoreProject::CoreProject(std::map<std::string, std::string> variables) : variables_(std::move(variables)) {
    const std::filesystem::path repo = ENVCTL_REPO_ROOT;
    std::filesystem::copy(repo / "migrations", dir_ / "migrations", std::filesystem::copy_options::recursive);
    std::filesystem::copy(repo / "compose", dir_ / "compose", std::filesystem::copy_options::recursive);
    std::filesystem::copy(repo / "dapr", dir_ / "dapr", std::filesystem::copy_options::recursive);
    std::filesystem::copy(repo / ".env.development", dir_ / ".env.development");
    variables_.emplace("ENVCTL_LOCK_DIR", (dir_ / "locks").string());
}

CoreProject::~CoreProject() { envctl({"down", "--volumes"}); }

std::vector<std::string> CoreProject::argv(const std::vector<std::string>& args) const {
    std::vector<std::string> out = {ENVCTL_BINARY, "--project-dir", dir_.path().string(), "--images", "local", "--profile", "core"};
    out.insert(out.end(), args.begin(), args.end());
    return out;
}

subprocess::Result CoreProject::envctl(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env) const {
    subprocess::Spec spec;
    spec.argv = argv(args);
    auto e = subprocess::current_environment();
    for (const auto& [k, v] : variables_) e[k] = v;
    for (const auto& [k, v] : extra_env) e[k] = v;
    spec.env = e;
    spec.timeout = std::chrono::minutes(3);
    return subprocess::run(spec);
}

bool core_images_present(std::string* why_not) {
    for (const char* image : {"localhost/envctl/postgresql:15", "localhost/envctl/redis:7", "localhost/envctl/azurite:3.35.0"}) {
        if (podman({"image", "exists", image}).ok()) continue;
        if (why_not) *why_not = std::string(image) + " (envctl images build --profile core)";
        return false;
    }
    return true;
}

void expect_core_ready_and_migrated(const nlohmann::json& status) {
    EXPECT_TRUE(status["ready"].get<bool>());
    std::map<std::string, nlohmann::json> dbs;
    for (const auto& d : status["databases"]) dbs[d["name"]] = d;
    ASSERT_EQ(dbs.size(), 2u) << status.dump();
    EXPECT_EQ(dbs["services_db"]["version"], 3);
    EXPECT_EQ(dbs["content_db"]["version"], 4);
    for (const auto& [name, d] : dbs) {
        EXPECT_TRUE(d["compliant"].get<bool>()) << name;
        EXPECT_TRUE(d["pending"].empty()) << name;
        EXPECT_TRUE(d["drift"].empty()) << name;
    }
    for (const auto& s : status["services"]) EXPECT_EQ(s["health"], "ready") << s.dump();
}

}  // namespace envctl::test
