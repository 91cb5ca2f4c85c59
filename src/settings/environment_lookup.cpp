#include "envctl/settings/environment_lookup.hpp"

namespace envctl::settings {

void take_from_environment(Settings& settings, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        if (settings.vars.has(name)) continue;
        auto it = settings.base_environment.find(name);
        if (it == settings.base_environment.end()) continue;
        settings.vars.set(name, it->second, Origin{Origin::Kind::process_env, {}, 0});
        if (name.ends_with("_PORT")) (void)settings.vars.port(name);
    }
}

void limit_children_to(Settings& settings, const std::vector<std::string>& names) {
    settings.child_variables = std::set<std::string>(names.begin(), names.end());
}

}  // namespace envctl::settings
