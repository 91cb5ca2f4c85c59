#pragma once
// The azure category's integration fixtures: a container of a local emulator image (Azurite, the Cosmos DB
// stand-in) published on one fixed host port of 127.0.0.1, removed again; and the official SDK scripts under
// scripts/azure (node, @azure/storage-blob and @azure/cosmos from scripts/setup --tests).

#include <map>
#include <string>
#include <vector>

#include "envctl/util/subprocess.hpp"

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

// Whether scripts/azure/node_modules holds `package` (e.g. "@azure/storage-blob").
bool azure_sdk_installed(const std::string& package);
// node scripts/azure/SCRIPT ARGS... with `env` added to the test's environment (keys go there, never in argv).
subprocess::Result azure_sdk(const std::string& script, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env);

}  // namespace envctl::test
