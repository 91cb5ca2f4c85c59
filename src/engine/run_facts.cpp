#include "envctl/engine/run_facts.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "envctl/compose/renderer.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/engine/interpolate.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/util/tree_digest.hpp"

namespace envctl::engine {
namespace {

constexpr auto kInspectTimeout = std::chrono::seconds(30);

subprocess::Result inspect(const std::vector<std::string>& images, const std::map<std::string, std::string>& env,
                           Deadline deadline) {
    subprocess::Spec spec;
    spec.argv = {"podman", "image", "inspect", "--format", "{{.Id}}"};
    spec.argv.insert(spec.argv.end(), images.begin(), images.end());
    spec.env = env;
    spec.timeout = std::max<Duration>(std::min<Duration>(remaining(deadline), kInspectTimeout), Duration{1});
    return subprocess::run(spec);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

// The image a service runs, as the engines resolve it.
std::string image_of(const settings::Settings& settings, const descriptors::ServiceDescriptor& d,
                     const std::map<std::string, std::string>& env) {
    VariableLookup lookup = [&env](const std::string& name) -> const std::string* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : &it->second;
    };
    return interpolate(compose::image_for(d, settings.images), lookup, "service " + d.name + ", image");
}

}  // namespace

std::string mount_facts(const settings::Settings& settings, const descriptors::ServiceDescriptor& service) {
    std::string out;
    for (const auto& m : service.mounts) {
        // The same path the engines mount (podman-compose resolves sources with realpath).
        const auto source = std::filesystem::weakly_canonical(settings.project_dir / m.source);
        out += "mount " + source.string() + " " + tree_digest::of(source) + "\n";
    }
    return out;
}

std::map<std::string, std::string> local_image_ids(const std::vector<std::string>& images,
                                                   const std::map<std::string, std::string>& env, Deadline deadline) {
    std::map<std::string, std::string> ids;
    if (images.empty()) return ids;
    // Usually every image is present (up pulls what is absent first): one call answers for all, in order.
    auto all = inspect(images, env, deadline);
    auto found = lines_of(all.out);
    if (all.ok() && found.size() == images.size()) {
        for (std::size_t i = 0; i < images.size(); ++i) ids[images[i]] = found[i];
        return ids;
    }
    // Some are absent: podman prints the others' ids in order and names each absent one ("inspecting object:
    // NAME: image not known"). When that accounts for every image, the one call still answers.
    std::set<std::string> absent;
    for (const auto& image : images)
        if (all.err.find("inspecting object: " + image + ": image not known") != std::string::npos) absent.insert(image);
    if (!all.timed_out && !absent.empty() && found.size() + absent.size() == images.size()) {
        std::size_t next = 0;
        for (const auto& image : images)
            if (!absent.count(image)) ids[image] = found[next++];
        return ids;
    }
    // Otherwise one call each.
    std::vector<std::string> one(images.size());
    rethrow_failures(run_bounded(images.size(), default_parallelism(), [&](std::size_t i) {
        auto r = inspect({images[i]}, env, deadline);
        auto id = lines_of(r.out);
        if (r.ok() && id.size() == 1) one[i] = id[0];
    }));
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (!one[i].empty()) ids[images[i]] = one[i];
        else log::debug("image {} is not present locally: its id is not part of the config hash", images[i]);
    }
    return ids;
}

compose::RunFacts gather_run_facts(const settings::Settings& settings, const descriptors::Stack& stack,
                                   const std::vector<std::string>& services, Deadline deadline) {
    const auto env = settings.child_environment();
    std::map<std::string, std::string> image_by_service;
    std::set<std::string> unique;
    for (const auto& name : services) {
        const auto image = image_of(settings, stack.get(name), env);
        image_by_service[name] = image;
        unique.insert(image);
    }
    const auto ids = local_image_ids(std::vector<std::string>(unique.begin(), unique.end()), env, deadline);
    compose::RunFacts facts;
    for (const auto& name : services) {
        std::string text = mount_facts(settings, stack.get(name));
        if (auto it = ids.find(image_by_service[name]); it != ids.end()) text += "image-id " + it->second + "\n";
        facts[name] = std::move(text);
    }
    return facts;
}

PreparedRun prepare_run_file(const settings::Settings& settings, const descriptors::Stack& stack,
                             const std::vector<std::string>& services, Deadline deadline) {
    auto facts = gather_run_facts(settings, stack, services, deadline);
    PreparedRun run;
    run.file = compose::write_run_file(settings, stack, services, facts);
    run.options = compose::run_file_options(settings, services, std::move(facts));
    return run;
}

}  // namespace envctl::engine
