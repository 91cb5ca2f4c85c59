// The recipe registry and the recipe hash.
#include "envctl/images/recipe.hpp"

#include <fmt/format.h>

#include "envctl/util/hash.hpp"
#include "recipe_defs.hpp"

namespace envctl::images {
namespace {

void field(std::string& out, std::string_view tag, std::string_view value) {
    out += fmt::format("{}:{}:", tag, value.size());
    out += value;
    out += '\n';
}

}  // namespace

std::vector<std::string> slim_dpkg_options() {
    return {
        // No fsync per file: a build that dies is thrown away anyway (measured: the Azurite root's ~460 packages).
        "force-unsafe-io",
        "path-exclude=/usr/share/doc/*",
        "path-include=/usr/share/doc/*/copyright",
        "path-exclude=/usr/share/man/*",
        "path-exclude=/usr/share/info/*",
        "path-exclude=/usr/share/locale/*",
        "path-include=/usr/share/locale/locale.alias",
    };
}

namespace detail {

Recipe debian_service_recipe(const std::string& name, const std::string& image, const std::string& summary,
                             std::vector<std::string> packages, const std::string& entrypoint, const char* script,
                             const std::string& path_prefix) {
    Recipe r;
    r.name = name;
    r.image = image;
    r.summary = summary;
    r.packages = std::move(packages);
    r.dpkg_options = slim_dpkg_options();
    r.files = {{"/usr/local/bin/" + entrypoint, script, 0755}};
    r.changes = {
        fmt::format(R"(ENTRYPOINT ["/usr/local/bin/{}"])", entrypoint),
        fmt::format("ENV PATH={}{}", path_prefix.empty() ? "" : path_prefix + ":", kDebianPath),
        fmt::format("LABEL org.opencontainers.image.title=envctl-{}", name),
    };
    return r;
}

}  // namespace detail

const std::vector<Recipe>& recipes() {
    static const std::vector<Recipe> all{detail::postgresql_recipe(), detail::redis_recipe(),
                                         detail::azurite_recipe(), detail::cosmosdb_recipe(),
                                         detail::busybox_recipe()};
    return all;
}

const Recipe* find_recipe(std::string_view name_or_image) {
    for (const auto& r : recipes())
        if (r.name == name_or_image || r.image == name_or_image) return &r;
    return nullptr;
}

std::string recipe_hash(const Recipe& recipe) {
    std::string out = "envctl-image-recipe/v1\n";
    field(out, "name", recipe.name);
    field(out, "image", recipe.image);
    field(out, "suite", kSuite);
    field(out, "variant", recipe.variant);
    for (const auto& p : recipe.packages) field(out, "package", p);
    for (const auto& o : recipe.dpkg_options) field(out, "dpkgopt", o);
    for (const auto& f : recipe.files) {
        field(out, "file", f.path);
        field(out, "mode", fmt::format("{:o}", f.mode));
        field(out, "content", f.content);
    }
    for (const auto& h : recipe.hooks)
        field(out, h.stage == HookStage::extract ? "extract-hook" : "customize-hook", h.command);
    for (const auto& c : recipe.changes) field(out, "change", c);
    field(out, "host-ca", recipe.needs_host_ca ? "yes" : "no");
    return hash::sha256_hex(out);
}

}  // namespace envctl::images
