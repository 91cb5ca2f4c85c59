// `envctl generate [--check] [-o FILE]`: write (or compare) the committed compose file (--format kube: the
// kustomize tree, generate_kube.cpp). Always the full built-in
// stack with upstream images, whatever --stack, --profile or --images say: the committed file is one fixed thing.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/compose/diff.hpp"
#include "envctl/compose/renderer.hpp"
#include "envctl/descriptors/mount_check.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::cli {

ExitCode generate_kube(Context& ctx, bool check_only, const std::string& output);  // generate_kube.cpp

namespace {

namespace fs = std::filesystem;

struct GenerateOptions {
    bool check = false;
    std::string format = "compose";
    std::string output;
};

std::optional<std::string> read_if_exists(const fs::path& path) {
    if (!fs::exists(path)) return std::nullopt;
    return files::read(path);
}

// The path as the user thinks of it: relative to the project when inside it.
std::string display(const fs::path& project_dir, const fs::path& path) {
    const auto rel = fs::weakly_canonical(path).lexically_relative(fs::weakly_canonical(project_dir));
    return !rel.empty() && *rel.begin() != ".." ? rel.generic_string() : path.string();
}

void print(const std::string& text) {
    std::fputs(Redactor::global().redact(text).c_str(), stdout);
    std::fflush(stdout);
}

ExitCode run(Context& ctx, const GenerateOptions& options) {
    if (options.format == "kube") return generate_kube(ctx, options.check, options.output);
    const auto& settings = ctx.settings();
    const fs::path out = options.output.empty() ? settings.committed_compose_file() : fs::absolute(options.output);
    const std::string shown = display(settings.project_dir, out);

    compose::RenderOptions render_options;
    render_options.images = settings::ImageFlavour::upstream;
    render_options.generated_by = "envctl generate";
    render_options.project_root = compose::project_root_from(settings.project_dir, out);
    const auto& stack = descriptors::builtin_stack();
    descriptors::check_mounts_inside(stack, settings.project_dir);  // podman-compose will mount what it names
    log::debug("rendering {} built-in services for {} (project root from there: {})", stack.services.size(), shown,
               render_options.project_root);
    const std::string content = compose::render(stack, render_options);
    const auto existing = read_if_exists(out);

    if (options.check) {
        if (!existing) {
            print(shown + " does not exist: run `envctl generate` to write it.\n");
            return ExitCode::differs;
        }
        if (*existing != content) {
            print(shown + " is not what the descriptors produce: run `envctl generate` to update it.\n" +
                  compose::first_difference(*existing, content, shown + " (on disk)", shown + " (generated)"));
            return ExitCode::differs;
        }
        log::info("{} is up to date", shown);
        return ExitCode::ok;
    }
    if (existing && *existing == content) {
        log::info("{} is already up to date", shown);
        return ExitCode::ok;
    }
    fs::create_directories(out.parent_path());
    files::write_atomic(out, content);
    log::info("wrote {}", shown);
    return ExitCode::ok;
}

}  // namespace

void register_generate(CLI::App& app, Context& ctx) {
    auto options = std::make_shared<GenerateOptions>();
    auto* cmd = app.add_subcommand(
        "generate",
        "Write compose/podman-compose.yml (or, --format kube, the kustomize tree k8s/): the full built-in stack");
    cmd->add_flag("--check", options->check,
                  "Write nothing; exit 10 and show the first difference when the file is not what the descriptors "
                  "produce");
    cmd->add_option("--format", options->format, "compose (default) or kube: the kustomize tree")
        ->check(CLI::IsMember({"compose", "kube"}));
    cmd->add_option("-o,--output", options->output, "Write (or check) this file (kube: this folder) instead");
    cmd->callback([&ctx, options] { ctx.action = [&ctx, options] { return run(ctx, *options); }; });
}

}  // namespace envctl::cli
