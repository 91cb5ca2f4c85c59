#include "envctl/compose/run_file.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "envctl/compose/renderer.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/log.hpp"

namespace envctl::compose {

namespace {

bool same_content(const std::filesystem::path& path, const std::string& content) {
    return std::filesystem::exists(path) && files::read(path) == content;
}

}  // namespace

RenderOptions run_file_options(const settings::Settings& settings, const std::vector<std::string>& services,
                               RunFacts facts) {
    RenderOptions options;
    options.images = settings.images;
    options.services = services;
    options.resolved_values = settings.child_environment();
    options.run_facts = std::move(facts);
    return options;
}

std::filesystem::path write_run_file(const settings::Settings& settings, const descriptors::Stack& stack,
                                     const std::vector<std::string>& services, const RunFacts& facts) {
    const std::filesystem::path path = settings.run_compose_file();
    RenderOptions options = run_file_options(settings, services, facts);
    options.generated_by = fmt::format("envctl --profile {} --images {}", settings.profile,
                                       settings::to_string(settings.images));
    if (settings.stack_file) options.generated_by += " --stack " + settings.stack_file->filename().string();
    options.project_root = project_root_from(settings.project_dir, path);
    const std::string content = render(stack, options);
    if (same_content(path, content)) {
        log::debug("{} is unchanged", path.string());
        // One written by an older envctl may still be world-readable.
        files::make_private_dir(path.parent_path());
        std::error_code ec;
        std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::replace, ec);
        return path;
    }
    files::write_private(path, content);
    log::debug("wrote {}", path.string());
    return path;
}

}  // namespace envctl::compose
