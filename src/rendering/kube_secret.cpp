#include <set>

#include "../compose/yaml_text.hpp"
#include "envctl/rendering/kube.hpp"
#include "envctl/rendering/service_model.hpp"

namespace envctl::rendering::kube {

std::string secret_manifest(const descriptors::Stack& stack, const std::vector<std::string>& services,
                            const std::string& project, const references::Lookup& lookup) {
    nlohmann::ordered_json data = nlohmann::ordered_json::object();
    std::set<std::string> seen;
    // Exactly the variables the workloads read from the Secret: those of environment values, commands and
    // arguments (rendering/kube_env.hpp).
    for (const auto& name : services) {
        const ServiceModel m = service_model(stack.get(name), settings::ImageFlavour::upstream);
        std::vector<std::pair<std::string, std::string>> texts = m.environment;
        for (const auto& w : m.entrypoint) texts.emplace_back("entrypoint", w);
        for (const auto& w : m.command) texts.emplace_back("command", w);
        for (const auto& [what, text] : texts)
            for (const auto& piece : references::parse(text))
                if (piece.reference && seen.insert(piece.reference->name).second)
                    data[piece.reference->name] =
                        references::value_of(*piece.reference, lookup, "service " + m.name + ", " + what);
    }
    nlohmann::ordered_json secret = {
        {"apiVersion", "v1"},
        {"kind", "Secret"},
        {"metadata",
         {{"name", secret_name(project)},
          {"labels", {{"app.kubernetes.io/part-of", project}, {"app.kubernetes.io/managed-by", "envctl"}}}}},
        {"type", "Opaque"},
        {"stringData", data},
    };
    return compose::detail::block(secret);
}

}  // namespace envctl::rendering::kube
