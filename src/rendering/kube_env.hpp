#pragma once
// Private to the Kubernetes rendering: descriptor text on a cluster. A ${VAR} becomes an environment variable
// read from the Secret (secretKeyRef), and $(VAR) where a value, a command or an argument uses it inside other
// text; literal '$' is written "$$", which Kubernetes reads back as '$'.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace envctl::rendering::kube::detail {

// Text that may hold no ${VAR} (an image, a size, a user: the cluster substitutes nothing there), as its literal
// value ($$ read as $). Throws envctl::Error(usage) naming `where` otherwise.
std::string literal_text(const std::string& text, const std::string& where);

class EnvironmentBuilder {
public:
    EnvironmentBuilder(std::string secret, const std::vector<std::pair<std::string, std::string>>& environment,
                       const std::string& where);

    // Command words or arguments with references as $(VAR).
    std::vector<std::string> expand_all(const std::vector<std::string>& words, const std::string& where);

    // The container's env: the declared variables, preceded by those the Secret provides for $(VAR) uses.
    nlohmann::ordered_json entries() const;

private:
    struct Entry {
        std::string name;
        std::string value;       // when not from the Secret
        std::string secret_key;  // when from the Secret
    };

    std::string expand(const std::string& text);
    nlohmann::ordered_json entry_json(const Entry& e) const;

    std::string secret_;
    std::vector<Entry> declared_;
    std::vector<std::string> needed_;  // variables used as $(VAR), in order of first use
    std::set<std::string> needed_set_;
};

}  // namespace envctl::rendering::kube::detail
