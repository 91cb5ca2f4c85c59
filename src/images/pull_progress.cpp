#include "envctl/images/pull_progress.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "envctl/images/pull.hpp"

namespace envctl::images {
namespace {

std::string text(const nlohmann::json& message, const char* key) {
    auto it = message.find(key);
    return it != message.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t number(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return 0;
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

std::optional<std::string> PullTally::add(const nlohmann::json& message) {
    if (!message.is_object()) return std::nullopt;
    if (message.contains("error") || message.contains("errorDetail")) {
        std::string error = text(message, "error");
        if (error.empty() && message["errorDetail"].is_object()) error = text(message["errorDetail"], "message");
        return error.empty() ? std::string("podman reported a failure without a message") : error;
    }
    const std::string status = text(message, "status");
    const std::string id = text(message, "id");
    if (id.empty()) return std::nullopt;
    if (status == "Pulling fs layer") {
        blobs_.try_emplace(id);
    } else if (status == "Downloading") {
        auto& blob = blobs_[id];
        const auto& detail = message.contains("progressDetail") ? message["progressDetail"] : nlohmann::json();
        blob.current = std::max(blob.current, number(detail, "current"));
        if (auto total = number(detail, "total"); total > 0) blob.total = total;
    } else if (status == "Already exists" || status == "Download complete") {
        // The last "Download complete" names the image, not a blob: only blobs already seen are counted.
        auto it = blobs_.find(id);
        if (it == blobs_.end()) return std::nullopt;
        it->second.done = true;
        if (it->second.total > 0) it->second.current = it->second.total;
    }
    return std::nullopt;
}

std::int64_t PullTally::bytes_done() const {
    std::int64_t sum = 0;
    for (const auto& [id, blob] : blobs_) sum += blob.current;
    return sum;
}

std::int64_t PullTally::bytes_total() const {
    std::int64_t sum = 0;
    for (const auto& [id, blob] : blobs_) sum += blob.total;
    return sum;
}

std::string PullTally::describe() const {
    if (blobs_.empty()) return "pulling";
    std::size_t done = 0;
    for (const auto& [id, blob] : blobs_) done += blob.done ? 1 : 0;
    std::string line = fmt::format("pulling {}/{} blobs", done, blobs_.size());
    if (bytes_done() > 0) {
        line += ", " + format_size(bytes_done());
        if (bytes_total() >= bytes_done()) line += " of " + format_size(bytes_total());
    }
    return line;
}

}  // namespace envctl::images
