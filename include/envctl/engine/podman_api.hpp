#pragma once
// podman's REST API for one envctl command: a `podman system service` on a private unix socket, started by
// start() and stopped (with its process group) by the destructor. Creating and starting containers through it
// costs no podman process per call: on these machines each process costs 40-60 ms of CPU before it does
// anything, about a fifth of starting a container.
//
// The service ends by itself after kIdleSeconds without a request, so one left behind by a killed envctl does
// not linger. Calls that cannot reach it (it ended, or never answered) say so (false, or nullopt), so the
// caller can do the same through podman processes; podman's own refusals throw, with podman's message.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/core/duration.hpp"
#include "envctl/core/exit_code.hpp"
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

    // The names of the containers (or volumes) carrying the label `key=value`; nullopt when unreachable.
    std::optional<std::vector<std::string>> containers_labelled(const std::string& label, Deadline deadline) const;
    std::optional<std::vector<std::string>> volumes_labelled(const std::string& label, Deadline deadline) const;
    // The names of every volume on the host; nullopt when unreachable.
    std::optional<std::vector<std::string>> volumes(Deadline deadline) const;
    // Removal, forced (a running container is stopped with `stop_seconds` of grace; a network's or volume's
    // containers are removed with it); one that does not exist is no failure, nor is a refusal when the object is
    // gone by then (podman answers HTTP 500 "no such volume" when something else removed it between its lookup
    // and its removal). False when unreachable; throws Error(internal) with podman's message when podman refuses.
    // Beware: podman resolves a volume name that does not exist as a unique prefix of another volume's name
    // (DELETE /volumes/p_data removes p_data-local): remove only volumes listed under exactly that name.
    bool remove_container(const std::string& name, int stop_seconds, Deadline deadline) const;
    bool remove_network(const std::string& name, Deadline deadline) const;
    bool remove_volume(const std::string& name, Deadline deadline) const;

    // Ends the service now (the destructor does too); later calls report it unreachable.
    void stop() { service_.stop(); }
    const std::filesystem::path& socket() const { return socket_; }

private:
    PodmanApi(subprocess::Background service, std::filesystem::path dir);
    // The reply to one call (2xx, 304, and 404 when `missing_ok`), nullopt when the service was unreachable;
    // throws `refused` with podman's message for any other status.
    std::optional<std::string> call(const std::string& method, const std::string& path, const std::string& body,
                                    Deadline deadline, const std::string& what, ExitCode refused,
                                    bool missing_ok = false, int* status = nullptr) const;
    // DELETE /<kind>/<name><query>, as the remove_* functions describe.
    bool remove(const std::string& kind, const std::string& name, const std::string& query, Deadline deadline) const;
    std::optional<std::vector<std::string>> names_labelled(const std::string& kind, const std::string& label,
                                                           Deadline deadline) const;

    subprocess::Background service_;
    std::filesystem::path dir_;
    std::filesystem::path socket_;
};

}  // namespace envctl::engine
