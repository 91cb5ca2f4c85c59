#pragma once
// The repository's own project (migrations, compose, .env.development) copied into a temp folder and run as the
// core profile with the local images on its own project name and host ports; `down --volumes` when it goes.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/util/subprocess.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {

class CoreProject {
public:
    // `variables` (ENVCTL_PROJECT, the port variables, ...) go into envctl's environment.
    explicit CoreProject(std::map<std::string, std::string> variables);
    ~CoreProject();
    CoreProject(const CoreProject&) = delete;
    CoreProject& operator=(const CoreProject&) = delete;

    // envctl --project-dir DIR --images local --profile core ARGS... (3 minutes at most); `extra_env` on top.
    subprocess::Result envctl(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env = {}) const;
    // That argv, and the variables added to envctl's environment, to run it some other way (tmux, script).
    std::vector<std::string> argv(const std::vector<std::string>& args) const;
    const std::map<std::string, std::string>& variables() const { return variables_; }
    const std::filesystem::path& dir() const { return dir_.path(); }

private:
    TempDir dir_;
    std::map<std::string, std::string> variables_;
};

// Expects a `status --json` document of the core profile: ready, every service ready, services_db at 3 and content_db
// at 4, both compliant with nothing pending and no drift.
void expect_core_ready_and_migrated(const nlohmann::json& status);

// The core profile's local images, or why not (for REQUIRE_PREREQUISITE).
bool core_images_present(std::string* why_not);

}  // namespace envctl::test
