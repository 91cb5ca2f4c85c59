#include "envctl/engine/podman_api.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::engine {
namespace {

constexpr auto kStartupLimit = std::chrono::seconds(5);
constexpr auto kPingStep = std::chrono::milliseconds(5);
// The host part is not used (the socket is); v4.0.0 is the oldest libpod API podman 4 serves.
constexpr const char* kBase = "http://podman/v4.0.0/libpod";
constexpr const char* kPingUrl = "http://podman/v4.0.0/libpod/_ping";
constexpr std::size_t kSocketPathLimit = 100;  // sun_path holds 108 bytes

// A private folder (mode 0700) for the socket: under $TMPDIR unless that makes the path too long for a socket.
std::filesystem::path make_private_dir() {
    std::string base = std::filesystem::temp_directory_path().string();
    if (base.size() + 40 > kSocketPathLimit) base = "/tmp";
    std::string templ = base + "/envctl-podman-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) {
        throw Error(ExitCode::internal, "cannot make a folder for podman's API socket under " + base);
    }
    return templ;
}

// podman's error document: {"cause": ..., "message": ..., "response": 500}; else the body as it is.
std::string podman_message(const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) {
        return doc["message"].get<std::string>();
    }
    return body;
}

}  // namespace

PodmanApi::PodmanApi(subprocess::Background service, std::filesystem::path dir)
    : service_(std::move(service)), dir_(std::move(dir)), socket_(dir_ / "podman.sock") {}

PodmanApi::~PodmanApi() {
    service_.stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::unique_ptr<PodmanApi> PodmanApi::start(const subprocess::Environment& environment, Deadline deadline) {
    std::filesystem::path dir;
    try {
        dir = make_private_dir();
        std::filesystem::path socket = dir / "podman.sock";
        subprocess::Spec spec;
        spec.argv = {"podman", "system", "service", "--time=" + std::to_string(kIdleSeconds),
                     "unix://" + socket.string()};
        spec.env = environment;
        spec.kill_grace = std::chrono::seconds(2);
        std::unique_ptr<PodmanApi> api(new PodmanApi(subprocess::Background::start(spec), dir));
        const Deadline give_up = std::min(deadline, Clock::now() + kStartupLimit);
        while (Clock::now() < give_up && !interrupt::requested()) {
            http::Request ping;
            ping.url = kPingUrl;
            ping.unix_socket = socket.string();
            ping.timeout = std::min<Duration>(std::chrono::milliseconds(500), remaining(give_up));
            if (http::perform(ping).status == 200) return api;
            if (!api->service_.running()) {
                log::debug("podman's API service ended before it answered");
                return nullptr;
            }
            std::this_thread::sleep_for(kPingStep);
        }
        log::debug("podman's API service did not answer within {}", format_duration(kStartupLimit));
        return nullptr;
    } catch (const std::exception& e) {  // envctl::Error, or a filesystem error from $TMPDIR
        log::debug("podman's API service could not start: {}", e.what());
        std::error_code ignored;
        if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
        return nullptr;
    }
}

std::optional<std::string> PodmanApi::call(const std::string& method, const std::string& path, const std::string& body,
                                           Deadline deadline, const std::string& what, ExitCode refused,
                                           bool missing_ok, int* status) const {
    Duration left = remaining(deadline);
    if (left.count() <= 0) throw Error(ExitCode::timed_out, what + ": no time left before its deadline");
    http::Request request;
    request.method = method;
    request.url = kBase + path;
    request.unix_socket = socket_.string();
    request.body = body;
    request.timeout = left;
    request.cancelled = [] { return interrupt::requested(); };
    http::Response r = http::perform(request);
    if (r.failure == http::Failure::cancelled) throw Error(ExitCode::interrupted, what + ": interrupted");
    if (r.failure == http::Failure::timed_out) throw Error(ExitCode::timed_out, what + ": " + r.error);
    if (!r.has_status()) {
        log::debug("{}: podman's API service unreachable ({})", what, r.error);
        return std::nullopt;
    }
    if (status != nullptr) *status = static_cast<int>(r.status);
    // 304: a start of a running container; 404 where the caller wants something gone that is gone.
    if ((r.status >= 200 && r.status < 300) || r.status == 304 || (missing_ok && r.status == 404)) return r.body;
    throw Error(refused, what + " failed (HTTP " + std::to_string(r.status) + "):\n" +
                             Redactor::global().redact(podman_message(r.body)));
}

bool PodmanApi::create_container(const nlohmann::json& spec, Deadline deadline) const {
    std::string name = spec.value("name", std::string());
    return call("POST", "/containers/create", spec.dump(), deadline, "creating " + name, ExitCode::service_failed)
        .has_value();
}

bool PodmanApi::start_container(const std::string& name, Deadline deadline) const {
    return call("POST", "/containers/" + name + "/start", "", deadline, "starting " + name, ExitCode::service_failed)
        .has_value();
}

std::optional<std::vector<std::string>> PodmanApi::names_labelled(const std::string& kind, const std::string& label,
                                                                  Deadline deadline) const {
    nlohmann::json filters = {{"label", {label}}};
    std::string query = kind == "containers" ? "?all=true" : "";
    if (!label.empty()) query += (query.empty() ? "?filters=" : "&filters=") + http::url_encode(filters.dump());
    auto body = call("GET", "/" + kind + "/json" + query, "", deadline,
                     "listing the " + kind + (label.empty() ? "" : " labelled " + label), ExitCode::internal);
    if (!body) return std::nullopt;
    auto doc = nlohmann::json::parse(*body, nullptr, false);
    if (!doc.is_array()) throw Error(ExitCode::internal, "podman's list of " + kind + " is not a JSON array");
    std::vector<std::string> names;
    for (const auto& item : doc) {
        if (kind == "containers") {
            const auto& n = item.value("Names", nlohmann::json::array());
            if (n.is_array() && !n.empty() && n.front().is_string()) names.push_back(n.front().get<std::string>());
        } else if (item.contains("Name") && item["Name"].is_string()) {
            names.push_back(item["Name"].get<std::string>());
        }
    }
    return names;
}

std::optional<std::vector<std::string>> PodmanApi::containers_labelled(const std::string& label,
                                                                       Deadline deadline) const {
    return names_labelled("containers", label, deadline);
}

std::optional<std::vector<std::string>> PodmanApi::volumes_labelled(const std::string& label, Deadline deadline) const {
    return names_labelled("volumes", label, deadline);
}

std::optional<std::vector<std::string>> PodmanApi::volumes(Deadline deadline) const {
    return names_labelled("volumes", "", deadline);
}

bool PodmanApi::remove(const std::string& kind, const std::string& name, const std::string& query,
                       Deadline deadline) const {
    const std::string what = "removing " + kind.substr(0, kind.size() - 1) + " " + name;
    try {
        return call("DELETE", "/" + kind + "/" + name + query, "", deadline, what, ExitCode::internal, true)
            .has_value();
    } catch (const Error& e) {
        if (e.code() != ExitCode::internal) throw;
        // Refused: still a success if it is gone now (204: it exists, 404: it does not).
        const std::exception_ptr refusal = std::current_exception();
        int status = 0;
        try {
            if (!call("GET", "/" + kind + "/" + name + "/exists", "", deadline, "checking " + name,
                      ExitCode::internal, true, &status))
                return false;
        } catch (const Error&) {
            std::rethrow_exception(refusal);
        }
        if (status != 404) std::rethrow_exception(refusal);
        log::debug("{}: gone meanwhile ({})", what, e.what());
        return true;
    }
}

bool PodmanApi::remove_container(const std::string& name, int stop_seconds, Deadline deadline) const {
    return remove("containers", name, "?force=true&ignore=true&timeout=" + std::to_string(stop_seconds), deadline);
}

bool PodmanApi::remove_network(const std::string& name, Deadline deadline) const {
    return remove("networks", name, "?force=true", deadline);
}

bool PodmanApi::remove_volume(const std::string& name, Deadline deadline) const {
    return remove("volumes", name, "?force=true", deadline);
}

}  // namespace envctl::engine
