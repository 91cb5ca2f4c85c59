#include "envctl/orchestration/engine_fault.hpp"

#include <regex>
#include <utility>
#include <vector>

namespace envctl::orchestration {
namespace {

bool contains_any(const std::string& text, const std::vector<const char*>& parts) {
    for (const char* p : parts)
        if (text.find(p) != std::string::npos) return true;
    return false;
}

}  // namespace

std::optional<std::string> engine_fault(const std::string& message) {
    // Vectors, not initializer_lists: a pair's copy of an initializer_list outlives the array behind it.
    static const std::pair<const char*, std::vector<const char*>> rules[] = {
        {"network setup failed", {"netavark", "iptables", "aardvark", "CNI network", "setting up network",
                                  "error creating network", "unable to create network"}},
        {"the OCI runtime failed", {"OCI runtime", "runc:", "crun:", "cgroups in hybrid mode", "setrlimit",
                                    "RLIMIT_"}},
        {"an image is unknown to the engine after pulling", {"image not known", "no such image", "image unknown"}},
    };
    for (const auto& [what, parts] : rules)
        if (contains_any(message, parts)) return std::string(what);
    static const std::regex client_error(R"(\(HTTP (4[0-9][0-9])\))");
    std::smatch m;
    if (std::regex_search(message, m, client_error))
        return "the engine refused the request (HTTP " + m[1].str() + ")";
    return std::nullopt;
}

}  // namespace envctl::orchestration
