#include "envctl/engine/podman_json.hpp"

#include <nlohmann/json.hpp>

#include "envctl/core/error.hpp"

namespace envctl::engine {
namespace {

using nlohmann::json;

std::string label(const json& labels, const char* key) {
    if (!labels.is_object()) return {};
    auto it = labels.find(key);
    return it != labels.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ContainerInfo parse_container(const json& c) {
    ContainerInfo info;
    const json& labels = c.contains("Labels") ? c.at("Labels") : json();
    info.service = label(labels, "com.docker.compose.service");
    info.config_hash = label(labels, "io.envctl.config-hash");
    info.id = c.value("Id", std::string());
    info.image = c.value("Image", std::string());
    if (c.contains("Names") && c.at("Names").is_array() && !c.at("Names").empty()) {
        info.name = c.at("Names").front().get<std::string>();
    }
    info.state = parse_state(c.value("State", std::string()));
    if (info.state == ContainerState::exited && c.contains("ExitCode") && c.at("ExitCode").is_number_integer()) {
        info.exit_code = c.at("ExitCode").get<int>();
    }
    // podman writes Go's zero time (-62135596800) for a container that never started.
    if (c.contains("StartedAt") && c.at("StartedAt").is_number_integer()) {
        auto started = c.at("StartedAt").get<std::int64_t>();
        bool ran = info.state == ContainerState::running || info.state == ContainerState::exited ||
                   info.state == ContainerState::paused;
        if (started > 0 && ran) info.started_at_ms = started * 1000;
    }
    return info;
}

}  // namespace

ContainerState parse_state(std::string_view state) {
    if (state == "created" || state == "configured" || state == "initialized") return ContainerState::created;
    if (state == "running" || state == "stopping") return ContainerState::running;
    if (state == "exited" || state == "stopped") return ContainerState::exited;
    if (state == "paused") return ContainerState::paused;
    return ContainerState::unknown;
}

std::vector<ContainerInfo> parse_ps_json(std::string_view text) {
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) throw Error(ExitCode::internal, "podman ps printed something that is not JSON");
    if (doc.is_null()) return {};
    if (!doc.is_array()) throw Error(ExitCode::internal, "podman ps printed JSON that is not a list of containers");
    std::vector<ContainerInfo> out;
    try {
        for (const json& c : doc) out.push_back(parse_container(c));
    } catch (const json::exception& e) {
        throw Error(ExitCode::internal, std::string("podman ps printed an unexpected container entry: ") + e.what());
    }
    return out;
}

std::string json_string_array(const std::vector<std::string>& items) { return json(items).dump(); }

}  // namespace envctl::engine
