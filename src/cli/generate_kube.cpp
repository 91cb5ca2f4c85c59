// `envctl generate --format kube [--check] [-o DIR]`: write (or compare) the committed kustomize tree, k8s/ by
// default. Always the full built-in stack, as the compose file; podman/ is podman 4.3's flavour of it with the host
// ports of the committed .env.development. DIR's base/, profiles/ and podman/ are entirely generated:
// files there that the descriptors no longer produce are removed (and reported by --check).

#include <cstdio>
#include <filesystem>
#include <set>

#include "envctl/cli/context.hpp"
#include "envctl/compose/diff.hpp"
#include "envctl/core/error.hpp"
#include "envctl/descriptors/mount_check.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/rendering/kube.hpp"
#include "envctl/rendering/kube_podman.hpp"
#include "envctl/settings/env_file.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/log.hpp"

namespace envctl::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kGeneratedFolders[] = {"base", "profiles", "podman"};

// Every file under DIR's generated folders, relative to DIR.
std::set<std::string> files_on_disk(const fs::path& dir) {
    std::set<std::string> out;
    for (const char* folder : kGeneratedFolders) {
        std::error_code ec;
        if (!fs::is_directory(dir / folder, ec)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(dir / folder))
            if (!entry.is_directory()) out.insert(entry.path().lexically_relative(dir).generic_string());
    }
    return out;
}

void print(const std::string& text) {
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
}

ExitCode check(const fs::path& dir, const std::string& shown, const rendering::kube::Tree& tree) {
    const auto on_disk = files_on_disk(dir);
    for (const auto& [path, content] : tree) {
        const std::string label = shown + "/" + path;
        if (!on_disk.count(path)) {
            print(label + " does not exist: run `envctl generate --format kube` to write the tree.\n");
            return ExitCode::differs;
        }
        const std::string existing = files::read(dir / path);
        if (existing != content) {
            print(label + " is not what the descriptors produce: run `envctl generate --format kube` to update it.\n" +
                  compose::first_difference(existing, content, label + " (on disk)", label + " (generated)"));
            return ExitCode::differs;
        }
    }
    for (const auto& path : on_disk) {
        if (!tree.count(path)) {
            print(shown + "/" + path + " is not part of the generated tree: run `envctl generate --format kube` to "
                  "remove it.\n");
            return ExitCode::differs;
        }
    }
    log::info("{} is up to date", shown);
    return ExitCode::ok;
}

ExitCode write(const fs::path& dir, const std::string& shown, const rendering::kube::Tree& tree) {
    std::size_t written = 0;
    for (const auto& [path, content] : tree) {
        const fs::path file = dir / path;
        std::error_code ec;
        if (fs::is_regular_file(file, ec) && files::read(file) == content) continue;
        fs::create_directories(file.parent_path());
        files::write_atomic(file, content);
        ++written;
    }
    std::size_t removed = 0;
    for (const auto& path : files_on_disk(dir)) {
        if (tree.count(path)) continue;
        fs::remove(dir / path);
        ++removed;
    }
    for (const char* folder : kGeneratedFolders) {  // folders left empty, deepest first
        std::vector<fs::path> folders;
        for (const auto& entry : fs::recursive_directory_iterator(dir / folder))
            if (entry.is_directory()) folders.push_back(entry.path());
        for (auto it = folders.rbegin(); it != folders.rend(); ++it)
            if (fs::is_empty(*it)) fs::remove(*it);
    }
    if (written == 0 && removed == 0) {
        log::info("{} is already up to date", shown);
    } else {
        log::info("wrote {} ({} files written, {} removed)", shown, written, removed);
    }
    return ExitCode::ok;
}

}  // namespace

ExitCode generate_kube(Context& ctx, bool check_only, const std::string& output) {
    const auto& settings = ctx.settings();
    const fs::path dir = output.empty() ? settings.project_dir / "k8s" : fs::absolute(output);
    const auto rel = fs::weakly_canonical(dir).lexically_relative(fs::weakly_canonical(settings.project_dir));
    const std::string shown = !rel.empty() && *rel.begin() != ".." ? rel.generic_string() : dir.string();

    const auto& stack = descriptors::builtin_stack();
    descriptors::check_mounts_inside(stack, settings.project_dir);
    rendering::kube::Options options;
    options.project = settings.project;
    options.project_dir = settings.project_dir;
    auto tree = rendering::kube::render(stack, options);
    // podman/: the committed settings' host ports (.env.development, never the environment: the same tree anywhere).
    const fs::path env_path = settings.project_dir / ".env.development";
    std::map<std::string, int> ports;
    for (const auto& e : settings::load_env_file(env_path).entries) {
        try {
            ports[e.key] = std::stoi(e.value);
        } catch (const std::exception&) {
        }
    }
    rendering::kube::PodmanOptions podman;
    podman.project = settings.project;
    podman.project_dir = settings.project_dir;
    podman.relative_host_paths = true;
    podman.host_port = [&](const std::string& variable) {
        auto it = ports.find(variable);
        if (it == ports.end())
            throw usage_error(env_path.string() + " has no port " + variable + " (k8s/podman/ publishes it): add " +
                              variable + "=PORT");
        return it->second;
    };
    static const std::string kNone;
    podman.lookup = [](const std::string&) -> const std::string* { return &kNone; };  // values stay in the ConfigMap
    tree.merge(rendering::kube::podman_tree(stack, podman));
    log::debug("rendered {} files of the kustomize tree for {}", tree.size(), shown);
    return check_only ? check(dir, shown, tree) : write(dir, shown, tree);
}

}  // namespace envctl::cli
