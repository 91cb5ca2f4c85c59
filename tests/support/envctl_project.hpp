#pragma once
// A throwaway envctl project for end-to-end tests: a temp folder with .env.development (test ports, seed-like
// secrets) and a stack file, a unique project name, and helpers to run the real envctl binary against it and to
// check what podman has left behind.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "envctl/util/subprocess.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {

class EnvctlProject {
public:
    // `stack` is a file under tests/data (e.g. "e2e/stack.yaml"); `variables` are added to the env file.
    EnvctlProject(const std::string& project, const std::string& stack, const std::map<std::string, std::string>& variables);
    ~EnvctlProject();  // removes every container, network and volume of the project

    // Runs envctl with --project-dir and --stack given; `extra_env` adds to envctl's environment.
    subprocess::Result run(const std::vector<std::string>& args, std::chrono::milliseconds timeout = std::chrono::minutes(3),
                           const std::map<std::string, std::string>& extra_env = {}) const;

    // That command line and the variables added to envctl's environment, to run it some other way (tmux).
    std::vector<std::string> argv(const std::vector<std::string>& args) const;
    std::map<std::string, std::string> variables() const;

    const std::string& name() const { return project_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    // Secret values written into the env file: no output or report may contain them.
    const std::vector<std::string>& secrets() const { return secrets_; }

    std::vector<std::string> containers() const;  // names of the project's containers
    std::vector<std::string> volumes() const;     // the project's volumes
    bool network_exists() const;
    // Every file under .envctl/reports, concatenated.
    std::string reports() const;

private:
    TempDir dir_;
    std::string project_;
    std::vector<std::string> secrets_;
};

// podman's stdout for `args` (60 s timeout).
std::string podman_out(const std::vector<std::string>& args);

}  // namespace envctl::test
