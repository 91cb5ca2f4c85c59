#include "api_pull.hpp"

#include <nlohmann/json.hpp>

#include "envctl/util/http_client.hpp"

namespace envctl::images {
namespace {

// The host part is not used (the socket is). 1.41 is the docker API version podman 4.3 serves.
constexpr const char* kCreateUrl = "http://podman/v1.41/images/create?fromImage=";

// podman's error document {"cause": ..., "message": ..., "response": N}, or the body as it is.
std::string refusal(const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) return doc["message"].get<std::string>();
    return body;
}

}  // namespace

ApiPullResult pull_through_api(const std::filesystem::path& socket, const std::string& image, Deadline deadline,
                               const std::function<bool()>& cancelled,
                               const std::function<void(const PullTally&)>& on_progress) {
    PullTally tally;
    std::string pending;  // a message not yet ended by its newline
    std::optional<std::string> error;
    http::Request request;
    request.method = "POST";
    request.url = kCreateUrl + http::url_encode(image);
    request.unix_socket = socket.string();
    request.timeout = remaining(deadline);
    request.keep_bytes = 64 * 1024;
    request.cancelled = cancelled;
    request.on_piece = [&](std::string_view piece) {
        pending.append(piece);
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
            auto message = nlohmann::json::parse(pending.substr(0, nl), nullptr, false);
            pending.erase(0, nl + 1);
            if (auto failure = tally.add(message)) error = failure;
            if (on_progress) on_progress(tally);
        }
    };
    if (request.timeout.count() <= 0) return {ApiPullEnd::timed_out, "no time left before the pull deadline"};
    http::Response r = http::perform(request);
    if (r.failure == http::Failure::cancelled) return {ApiPullEnd::cancelled, ""};
    if (r.failure == http::Failure::timed_out) return {ApiPullEnd::timed_out, r.error};
    if (!r.has_status()) return {ApiPullEnd::unreachable, r.error};
    if (r.status != 200) return {ApiPullEnd::failed, refusal(r.body)};
    if (error) return {ApiPullEnd::failed, *error};
    return {ApiPullEnd::pulled, ""};
}

}  // namespace envctl::images
