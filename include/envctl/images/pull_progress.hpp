#pragma once
// What podman tells of one image's pull while it runs, tallied into one short status for the live view.
// podman 4.3's docker-compatible pull (POST /images/create) streams one JSON message a line per blob (the image's
// layers and its config): {"status":"Pulling fs layer","id":"<blob>"} when a blob starts, "Downloading" with
// {"progressDetail":{"current":N,"total":T}} at most once a second while it downloads, "Already exists" when it is
// skipped, "Download complete" when it is in. A blob that takes less than a second shows no byte count: podman
// reports bytes only on its one-second tick. The last message is the pull's result (an "error", or a
// "Download complete" naming the image's id).

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace envctl::images {

class PullTally {
public:
    // Takes one message of the stream. Returns podman's error message when the message is the pull's failure.
    std::optional<std::string> add(const nlohmann::json& message);
    // "3/5 blobs, 12.3 MB of 40.1 MB" (bytes only once podman reported some); "starting" before any blob.
    std::string describe() const;
    std::int64_t bytes_done() const;
    std::int64_t bytes_total() const;

private:
    struct Blob {
        std::int64_t current = 0;
        std::int64_t total = 0;  // 0 until podman reported it
        bool done = false;
    };
    std::map<std::string, Blob> blobs_;
};

}  // namespace envctl::images
