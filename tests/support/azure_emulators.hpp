#pragma once
// The azure category's integration fixtures: a container of a local emulator image (Azurite, the Cosmos DB
// stand-in) published on one fixed host port of 127.0.0.1, removed again; and the official SDK scripts under
// scripts/azure (node, @azure/storage-blob and @azure/cosmos from scripts/setup --tests).

#include <map>
#include <string>
#include <vector>

#include "envctl/descriptors/verify_step.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::test {

class EmulatorContainer {
public:
    // podman run -d --name NAME -p 127.0.0.1:HOST_PORT:CONTAINER_PORT IMAGE ARGS...; waits (up to 60 s) until
    // `ready_port` (a host port, default HOST_PORT) accepts connections. error() says why when it did not.
    EmulatorContainer(std::string name, const std::string& image, std::vector<std::pair<int, int>> ports,
                      const std::vector<std::string>& args);
    ~EmulatorContainer();
    EmulatorContainer(const EmulatorContainer&) = delete;
    EmulatorContainer& operator=(const EmulatorContainer&) = delete;
    const std::string& error() const { return error_; }

private:
    std::string name_;
    std::string error_;
};

// Whether podman's storage holds `image`.
bool image_present(const std::string& image);
// The repository's own settings (.env.development: the development keys) with `overrides` (the test's ports).
settings::Settings repo_settings(const std::map<std::string, std::string>& overrides);
// What a declared step of `service` runs with: `settings`, published ports reached on 127.0.0.1.
verify::StepEnv verify_step_env(const settings::Settings& settings, const std::string& service);

// The first two of `declared` (a step creating an object, then one that fails / one that hangs) as one azure
// category with a 3 s deadline: expects the first to fail at step 2 and the second to time out (the runner's
// timeout, or the hanging step's own a moment before); their cleanup steps have run when it returns.
void run_failing_and_hanging_checks(const std::vector<descriptors::VerifyCheck>& declared,
                                    const settings::Settings& settings, const std::string& service);

// Whether scripts/azure/node_modules holds `package` (e.g. "@azure/storage-blob").
bool azure_sdk_installed(const std::string& package);
// node scripts/azure/SCRIPT ARGS... with `env` added to the test's environment (keys go there, never in argv).
subprocess::Result azure_sdk(const std::string& script, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env);

}  // namespace envctl::test
