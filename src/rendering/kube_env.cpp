#include "kube_env.hpp"

#include "envctl/core/error.hpp"
#include "envctl/core/references.hpp"

namespace envctl::rendering::kube::detail {
namespace {

std::string doubled_dollars(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '$' ? std::string("$$") : std::string(1, c);
    return out;
}

}  // namespace

std::string literal_text(const std::string& text, const std::string& where) {
    std::string out;
    for (const auto& piece : references::parse(text)) {
        if (piece.reference)
            throw usage_error(where + ": ${" + piece.reference->name +
                              "} cannot be rendered for Kubernetes here (only environment values, commands and "
                              "arguments take settings): write the value");
        out += piece.literal;
    }
    return out;
}

EnvironmentBuilder::EnvironmentBuilder(std::string secret,
                                       const std::vector<std::pair<std::string, std::string>>& environment,
                                       const std::string& where)
    : secret_(std::move(secret)) {
    for (const auto& [key, value] : environment) {
        if (auto ref = references::whole_reference(value)) {
            declared_.push_back(Entry{key, "", ref->name});
        } else {
            declared_.push_back(Entry{key, expand(value), ""});
        }
    }
    // A variable used as $(VAR) is defined from the Secret under its own name: a declared variable of that name
    // must be that very reference.
    for (const auto& e : declared_)
        if (needed_set_.count(e.name) && e.secret_key != e.name)
            throw usage_error(where + " " + e.name + ": the name is also a setting used as ${" + e.name +
                              "} in another value; rename the variable");
}

std::string EnvironmentBuilder::expand(const std::string& text) {
    std::string out;
    for (const auto& piece : references::parse(text)) {
        if (!piece.reference) {
            out += doubled_dollars(piece.literal);
            continue;
        }
        const std::string& name = piece.reference->name;
        if (needed_set_.insert(name).second) needed_.push_back(name);
        out += "$(" + name + ")";
    }
    return out;
}

std::vector<std::string> EnvironmentBuilder::expand_all(const std::vector<std::string>& words,
                                                        const std::string& where) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(expand(w));
    for (const auto& e : declared_)
        if (needed_set_.count(e.name) && e.secret_key != e.name)
            throw usage_error(where + ": ${" + e.name + "} is also the name of a variable of the service's "
                              "environment; rename the variable");
    return out;
}

nlohmann::ordered_json EnvironmentBuilder::entry_json(const Entry& e) const {
    if (e.secret_key.empty()) return {{"name", e.name}, {"value", e.value}};
    return {{"name", e.name}, {"valueFrom", {{"secretKeyRef", {{"name", secret_}, {"key", e.secret_key}}}}}};
}

nlohmann::ordered_json EnvironmentBuilder::entries() const {
    auto out = nlohmann::ordered_json::array();
    std::set<std::string> written;
    // Kubernetes resolves $(VAR) only from variables listed before the value: the Secret's come first.
    for (const auto& name : needed_) {
        out.push_back(entry_json(Entry{name, "", name}));
        written.insert(name);
    }
    for (const auto& e : declared_)
        if (!written.count(e.name)) out.push_back(entry_json(e));
    return out;
}

}  // namespace envctl::rendering::kube::detail
