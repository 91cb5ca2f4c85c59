#include "envctl/images/podman_images.hpp"

#include <nlohmann/json.hpp>

#include "envctl/core/error.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/util/output_tail.hpp"

namespace envctl::images {
namespace {

constexpr auto kPullCheckTimeout = std::chrono::seconds(15);

subprocess::Result podman(std::vector<std::string> args, Deadline deadline, const std::string& what) {
    Duration left = remaining(deadline);
    if (left.count() <= 0) throw Error(ExitCode::timed_out, what + ": no time left before its deadline");
    subprocess::Spec spec;
    spec.argv.push_back(podman_program());
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = left;
    auto r = subprocess::run(spec);
    if (r.interrupted) throw Error(ExitCode::interrupted, what + ": interrupted");
    if (r.timed_out) throw Error(ExitCode::timed_out, what + ": " + r.describe());
    if (r.spawn_failed) throw Error(ExitCode::preflight, what + ": " + r.describe() + " (install podman)");
    return r;
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

}  // namespace

std::string podman_program() {
    if (!subprocess::find_program("podman"))
        throw Error(ExitCode::preflight, "podman is not installed (apt-get install podman runc; see README)");
    return "podman";
}

bool is_local_name(const std::string& image) { return image.rfind("localhost/", 0) == 0; }

std::optional<ImageInfo> inspect_image(const std::string& image, Deadline deadline) {
    if (!image_present(image, deadline)) return std::nullopt;
    auto r = podman({"image", "inspect", image}, deadline, "podman image inspect " + image);
    if (!r.ok()) {
        // Removed between the two calls, or a podman failure worth reporting.
        if (!image_present(image, deadline)) return std::nullopt;
        throw Error(ExitCode::preflight, "podman image inspect " + image + " failed: " + last_lines(r.err));
    }
    ImageInfo info;
    try {
        auto doc = nlohmann::json::parse(r.out);
        const auto& first = doc.is_array() && !doc.empty() ? doc.at(0) : doc;
        info.id = first.value("Id", "");
        info.size_bytes = first.value("Size", std::int64_t{0});
        auto read_labels = [&info](const nlohmann::json& labels) {
            if (!labels.is_object()) return;
            for (const auto& [k, v] : labels.items())
                if (v.is_string()) info.labels.emplace(k, v.get<std::string>());
        };
        if (first.contains("Labels")) read_labels(first.at("Labels"));
        if (first.contains("Config") && first.at("Config").contains("Labels")) read_labels(first.at("Config").at("Labels"));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ExitCode::internal, "podman image inspect " + image + ": unexpected output: " + e.what());
    }
    return info;
}

bool image_present(const std::string& image, Deadline deadline) {
    auto r = podman({"image", "exists", image}, deadline, "podman image exists " + image);
    if (r.exit_code == 0) return true;
    if (r.exit_code == 1) return false;
    throw Error(ExitCode::preflight, "podman image exists " + image + " failed (" + r.describe() +
                                         "): " + last_lines(r.err) + " (run `envctl doctor`)");
}

PullCheck classify_manifest_inspect(int exit_code, const std::string& err) {
    if (exit_code == 0) return {true, "its registry serves it"};
    // podman 4.3 fetched a manifest but will only print lists: the image exists and can be pulled.
    // For a single-image OCI manifest (what `podman push` writes) 4.3 says: parsing manifest blob "..." as a
    // "application/vnd.oci.image.manifest.v1+json": Treating single images as manifest lists is not implemented.
    if (contains(err, "unsupported format") || contains(err, "not a list type") ||
        contains(err, "manifest type not supported") || contains(err, "parsing manifest blob") ||
        contains(err, "Treating single images as manifest lists"))
        return {true, "its registry serves it"};
    std::string why = last_lines(err, 1);
    if (contains(err, "short-name") && contains(err, "did not resolve"))
        return {false, "a short name, and no unqualified-search registry is configured (registries.conf)", true};
    // A mirror's "manifest unknown" comes beside the upstream's own DNS error: the mirror's answer counts.
    if (contains(err, "manifest unknown") || contains(err, "not found") || contains(err, "name unknown"))
        return {false, "not in its registry: " + why};
    if (contains(err, "pinging container registry") || contains(err, "no such host") ||
        contains(err, "connection refused") || contains(err, "i/o timeout") || contains(err, "network is unreachable"))
        return {false, "registry unreachable: " + why};
    if (contains(err, "unauthorized") || contains(err, "denied")) return {false, "registry refused access: " + why};
    return {false, why.empty() ? "podman manifest inspect failed" : why};
}

PullCheck check_pullable(const std::string& image, Deadline deadline) {
    if (is_local_name(image)) return {false, "a local image: built on this machine, never pulled"};
    Duration left = remaining(deadline);
    if (left.count() <= 0) return {false, "not checked: no time left"};
    subprocess::Spec spec;
    spec.argv = {podman_program(), "manifest", "inspect", image};
    spec.timeout = std::min<Duration>(left, kPullCheckTimeout);
    spec.output_limit = 256 * 1024;
    auto r = subprocess::run(spec);
    if (r.interrupted) throw Error(ExitCode::interrupted, "podman manifest inspect " + image + ": interrupted");
    if (r.timed_out) return {false, "its registry did not answer within " + format_duration(spec.timeout)};
    if (r.spawn_failed) throw Error(ExitCode::preflight, "podman manifest inspect: " + r.describe());
    auto check = classify_manifest_inspect(r.exit_code, r.err);
    log::debug("{}: {}", image, check.detail);
    return check;
}

bool remove_image(const std::string& id, Deadline deadline, std::string* detail) {
    auto r = podman({"rmi", id}, deadline, "podman rmi " + id);
    if (!r.ok() && detail) *detail = last_lines(r.err, 2);
    return r.ok();
}

}  // namespace envctl::images
