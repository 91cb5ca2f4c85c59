// Descriptors -> compose YAML, written by hand (no YAML library), deterministic byte for byte.

#include "envctl/compose/renderer.hpp"

#include <set>

#include <fmt/format.h>

#include "envctl/core/references.hpp"
#include "envctl/descriptors/canonical.hpp"
#include "envctl/rendering/service_model.hpp"
#include "envctl/util/hash.hpp"
#include "yaml_text.hpp"

namespace envctl::compose {

namespace {

using descriptors::ServiceDescriptor;
using detail::flow_list;
using detail::quoted;
using detail::scalar;

constexpr const char* kBindAddress = "${ENVCTL_BIND_ADDRESS:-127.0.0.1}";

std::string port_mapping(const descriptors::Port& port) {
    std::string text = fmt::format("{}:${{{}:?{} is not set}}:{}", kBindAddress, port.variable, port.variable,
                                   port.container);
    if (port.protocol != "tcp") text += "/" + port.protocol;
    return text;
}

std::string mount_source(const std::string& project_root, const std::string& source) {
    return project_root.empty() ? source : project_root + "/" + source;
}

// The service's block, without the config-hash label (which hashes this very text).
std::string service_body(const ServiceDescriptor& d, const RenderOptions& o, const std::set<std::string>* selected) {
    const rendering::ServiceModel s = rendering::service_model(d, o.images);
    std::string out;
    auto field = [&](const std::string& key, const std::string& value) { out += "    " + key + ": " + value + "\n"; };
    auto list = [&](const std::string& key, const std::vector<std::string>& items) {
        if (items.empty()) return;
        out += "    " + key + ":\n";
        for (const auto& i : items) out += "      - " + scalar(i) + "\n";
    };

    field("image", scalar(s.image));
    if (!s.entrypoint.empty()) field("entrypoint", flow_list(s.entrypoint));
    if (!s.command.empty()) field("command", flow_list(s.command));
    if (s.user) field("user", quoted(*s.user));
    if (!s.environment.empty()) {
        out += "    environment:\n";
        for (const auto& [key, value] : s.environment) out += "      " + scalar(key) + ": " + quoted(value) + "\n";
    }
    std::vector<std::string> ports;
    for (const auto& p : s.ports) ports.push_back(port_mapping(p));
    list("ports", ports);
    std::vector<std::string> volumes;
    for (const auto& v : s.volumes) volumes.push_back(v.name + ":" + v.target);
    for (const auto& m : s.mounts)
        volumes.push_back(mount_source(o.project_root, m.source) + ":" + m.target + (m.read_only ? ":ro" : ""));
    list("volumes", volumes);
    std::vector<std::string> deps;
    for (const auto& dep : s.depends_on)
        if (!selected || selected->count(dep)) deps.push_back(dep);
    list("depends_on", deps);
    out += "    healthcheck:\n";
    if (s.healthcheck) {
        const auto& h = *s.healthcheck;
        out += "      test: " + flow_list({"CMD-SHELL", h.test}) + "\n";
        out += fmt::format("      interval: {}\n      timeout: {}\n      retries: {}\n      start_period: {}\n",
                           quoted(h.interval), quoted(h.timeout), h.retries, quoted(h.start_period));
    } else {
        out += "      test: [\"NONE\"]\n";  // no shell in the image: podman-compose wraps every test in /bin/sh -c
    }
    list("cap_add", s.cap_add);
    if (s.shm_size) field("shm_size", quoted(*s.shm_size));
    field("mem_limit", quoted(s.memory));
    if (s.stop_signal) field("stop_signal", scalar(*s.stop_signal));
    if (s.stop_grace_seconds) field("stop_grace_period", quoted(fmt::format("{}s", *s.stop_grace_seconds)));
    out += "    labels:\n";
    for (const auto& [key, value] : s.labels) out += "      " + key + ": " + scalar(value) + "\n";
    return out;
}

std::string hash_of_body(const ServiceDescriptor& s, const RenderOptions& o, const std::set<std::string>* selected) {
    RenderOptions canonical = o;
    canonical.project_root.clear();  // the same service hashes the same from compose/ and from .envctl/run/
    std::string body = service_body(s, canonical, selected);
    if (!o.resolved_values.empty()) {
        // The values of the variables the block references, in order.
        std::string values;
        for (const auto& name : references::names(body)) {
            auto it = o.resolved_values.find(name);
            values += name + (it == o.resolved_values.end() ? std::string(" unset") : "=" + it->second) + "\n";
        }
        body += "# resolved\n" + values;
    }
    if (auto facts = o.run_facts.find(s.name); facts != o.run_facts.end()) body += "# runs\n" + facts->second;
    return hash::sha256_hex(body);
}

}  // namespace

std::string image_for(const ServiceDescriptor& service, settings::ImageFlavour flavour) {
    if (flavour == settings::ImageFlavour::local && service.local_image) return *service.local_image;
    return service.image;
}

std::string volume_name(const descriptors::Volume& volume, settings::ImageFlavour flavour) {
    return flavour == settings::ImageFlavour::local ? volume.name + "-local" : volume.name;
}

std::string project_root_from(const std::filesystem::path& project_dir, const std::filesystem::path& output_file) {
    const auto from = std::filesystem::weakly_canonical(std::filesystem::absolute(output_file).parent_path());
    const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(project_dir));
    const std::string text = root.lexically_relative(from).generic_string();
    return text.empty() ? "." : text;
}

std::string service_config_hash(const ServiceDescriptor& service, const RenderOptions& options) {
    if (options.services.empty()) return hash_of_body(service, options, nullptr);
    const std::set<std::string> selected(options.services.begin(), options.services.end());
    return hash_of_body(service, options, &selected);
}

std::string render(const descriptors::Stack& stack, const RenderOptions& options) {
    std::vector<const ServiceDescriptor*> chosen;
    if (options.services.empty()) {
        for (const auto& s : stack.services) chosen.push_back(&s);
    } else {
        const std::set<std::string> wanted(options.services.begin(), options.services.end());
        for (const auto& name : options.services) stack.get(name);  // unknown names are an error
        for (const auto& s : stack.services)
            if (wanted.count(s.name)) chosen.push_back(&s);
    }
    std::set<std::string> selected;
    for (const auto* s : chosen) selected.insert(s->name);

    std::string descriptors_text = "images " + settings::to_string(options.images) + "\n";
    for (const auto* s : chosen) descriptors_text += descriptors::canonical_text(*s);

    std::string out;
    out += fmt::format("# Generated by `{}` from envctl's service descriptors: do not edit.\n", options.generated_by);
    out += "# descriptors-sha256: " + hash::sha256_hex(descriptors_text) + "\n";
    out += "services:\n";
    std::vector<std::string> volumes;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const ServiceDescriptor& s = *chosen[i];
        if (i) out += "\n";
        out += "  " + scalar(s.name) + ":\n";
        out += service_body(s, options, &selected);
        out += "      io.envctl.config-hash: " + quoted(hash_of_body(s, options, &selected)) + "\n";
        for (const auto& v : s.volumes) volumes.push_back(volume_name(v, options.images));
    }
    if (!volumes.empty()) {
        out += "\nvolumes:\n";
        for (const auto& v : volumes) out += "  " + scalar(v) + ": {}\n";
    }
    return out;
}

}  // namespace envctl::compose
