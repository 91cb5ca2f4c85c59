#pragma once
// podman's REST API for one envctl command: a `podman system service` on a private unix socket, started by
// start() and stopped (with its process group) by the destructor. Creating and starting containers through it
// costs no podman process per call: on these machines each process costs 40-60 ms of CPU before it does
// anything, about a fifth of starting a container.
//
// The service ends by itself after kIdleSeconds without a request, so one left behind by a killed envctl does
// not linger. Calls that cannot reach it (it ended, or never answered) say so (Reply::reached false), so the
// caller can do the same through podman processes; podman's own refusals throw, with podman's message.

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "envctl/core/duration.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::engine {

class PodmanApi {
public:
    static constexpr int kIdleSeconds = 60;

    // The service answering on its socket, or nullptr when it does not within `deadline` (at most a few
    // seconds): podman missing, or unable to serve. Why is logged at debug level.
    static std::unique_ptr<PodmanApi> start(const subprocess::Environment& environment, Deadline deadline);
    ~PodmanApi();
    PodmanApi(const PodmanApi&) = delete;
    PodmanApi& operator=(const PodmanApi&) = delete;

    // Creates a container from a libpod SpecGenerator document (container_spec_json). False when the service
    // could not be reached; throws Error(service_failed) with podman's message when podman refuses.
    bool create_container(const nlohmann::json& spec, Deadline deadline) const;
    // Starts a created container (one already running is fine). As create_container() for failures.
    bool start_container(const std::string& name, Deadline deadline) const;

    // Ends the service now (the destructor does too); later calls report it unreachable.
    void stop() { service_.stop(); }
    const std::filesystem::path& socket() const { return socket_; }

private:
    PodmanApi(subprocess::Background service, std::filesystem::path dir);
    bool call(const std::string& method, const std::string& path, const std::string& body, Deadline deadline,
              const std::string& what) const;

    subprocess::Background service_;
    std::filesystem::path dir_;
    std::filesystem::path socket_;
};

}  // namespace envctl::engine
