#include "envctl/engine/podman_api.hpp"

#include <cstdlib>
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
constexpr const char* kBase = "http://podman/v4.0.0/libpod";
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
    if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) return doc["message"].get<std::string>();
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
        spec.argv = {"podman", "system", "service", "--time=" + std::to_string(kIdleSeconds), "unix://" + socket.string()};
        spec.env = environment;
        spec.kill_grace = std::chrono::seconds(2);
        std::unique_ptr<PodmanApi> api(new PodmanApi(subprocess::Background::start(spec), dir));
        const Deadline give_up = std::min(deadline, Clock::now() + kStartupLimit);
        while (Clock::now() < give_up && !interrupt::requested()) {
            http::Request ping;
            ping.url = std::string(kBase) + "/_ping";
            ping.unix_socket = socket.string();
            ping.timeout = std::chrono::milliseconds(500);
            if (http::perform(ping).status == 200) return api;
            if (!api->service_.running()) {
                log::debug("podman's API service ended before it answered");
                return nullptr;
            }
            std::this_thread::sleep_for(kPingStep);
        }
        log::debug("podman's API service did not answer within {}", format_duration(kStartupLimit));
        return nullptr;
    } catch (const Error& e) {
        log::debug("podman's API service could not start: {}", e.what());
        std::error_code ignored;
        if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
        return nullptr;
    }
}

bool PodmanApi::call(const std::string& method, const std::string& path, const std::string& body, Deadline deadline,
                     const std::string& what) const {
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
        return false;
    }
    if (r.status >= 200 && r.status < 300) return true;
    if (r.status == 304) return true;  // start: already running
    throw Error(ExitCode::service_failed,
                what + " failed (HTTP " + std::to_string(r.status) + "):\n" + Redactor::global().redact(podman_message(r.body)));
}

bool PodmanApi::create_container(const nlohmann::json& spec, Deadline deadline) const {
    std::string name = spec.value("name", std::string());
    return call("POST", "/containers/create", spec.dump(), deadline, "creating " + name);
}

bool PodmanApi::start_container(const std::string& name, Deadline deadline) const {
    return call("POST", "/containers/" + name + "/start", "", deadline, "starting " + name);
}

}  // namespace envctl::engine
