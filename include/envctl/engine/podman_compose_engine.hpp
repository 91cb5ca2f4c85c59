#pragma once
// The podman-compose engine: creates containers with `podman-compose -p PROJECT -f <run file> up --no-start`,
// the settings in its environment (never a compose/.env). Everything else (listing, starting level by level,
// teardown, logs, exec) goes straight to podman, where podman-compose is slow or unfit.

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "envctl/engine/podman_backed_engine.hpp"

namespace envctl::engine {

struct ComposeRun {
    // Writes (if needed) and returns the run file; called on each create(), before `expected_hashes` is read. It
    // may refresh them: the hashes cover mounted files' contents and image ids, read when the file is written.
    std::function<std::filesystem::path(std::map<std::string, std::string>& expected_hashes)> prepare_file;
    // Service -> the io.envctl.config-hash the run file gives it.
    std::map<std::string, std::string> expected_hashes;
};

class PodmanComposeEngine : public PodmanBackedEngine {
public:
    PodmanComposeEngine(EngineProject project, ComposeRun run);

    std::string name() const override { return "podman-compose"; }
    void create(const std::vector<std::string>& services, Deadline deadline) override;

private:
    ComposeRun run_;
};

}  // namespace envctl::engine
