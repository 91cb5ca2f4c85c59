#include "envctl/engine/service_spec.hpp"

#include <set>

namespace envctl::engine {

const ServiceSpec* ProjectSpec::find(const std::string& service) const {
    for (const auto& s : services) {
        if (s.name == service) return &s;
    }
    return nullptr;
}

std::vector<std::string> ProjectSpec::volume_names() const {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& s : services) {
        for (const auto& v : s.volumes) {
            if (seen.insert(v.volume).second) out.push_back(v.volume);
        }
    }
    return out;
}

std::string container_name(const std::string& project, const std::string& service) {
    return project + "_" + service + "_1";
}

std::string network_name(const std::string& project) { return project + "_default"; }

}  // namespace envctl::engine
