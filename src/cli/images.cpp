// `envctl images build [NAME…] [--force]`, `envctl images list [--json]`, `envctl images check [--json]`: the local
// images (include/envctl/images/); `envctl images pull [SERVICE…]`: the upstream ones (cli/pull.hpp). NAME is a service of the stack or a recipe (postgresql, redis, azurite,
// cosmosdb-server, busybox); without names, or with --profile, the profile's services.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/cli/pull.hpp"
#include "envctl/core/error.hpp"
#include "envctl/images/builder.hpp"
#include "envctl/images/check.hpp"
#include "envctl/images/recipe.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::cli {
namespace {

constexpr auto kQueryBudget = std::chrono::seconds(60);

void print(const std::string& text) {
    std::fputs(Redactor::global().redact(text).c_str(), stdout);
    std::fflush(stdout);
}

std::vector<std::string> profile_services(Context& ctx) {
    return ctx.stack().with_dependencies(ctx.stack().profile_services(ctx.settings().profile));
}

std::string recipe_names() {
    std::vector<std::string> names;
    for (const auto& r : images::recipes()) names.push_back(r.name);
    return fmt::format("{}", fmt::join(names, ", "));
}

// Named services and recipes, plus the profile's services when no name is given or --profile is.
std::vector<const images::Recipe*> build_targets(Context& ctx, const std::vector<std::string>& names) {
    std::vector<std::string> services;
    std::vector<const images::Recipe*> named_recipes;
    for (const auto& name : names) {
        if (ctx.stack().find(name)) {
            services.push_back(name);
        } else if (const auto* recipe = images::find_recipe(name)) {
            named_recipes.push_back(recipe);
        } else {
            throw usage_error(fmt::format("images build: '{}' is neither a service of the stack nor a recipe ({})",
                                          name, recipe_names()));
        }
    }
    const bool use_profile = names.empty() || ctx.options.profile.has_value();
    if (use_profile) {
        for (const auto& s : profile_services(ctx))
            if (std::find(services.begin(), services.end(), s) == services.end()) services.push_back(s);
    }
    auto selection = images::recipes_for_services(ctx.stack(), services);
    for (const auto& s : selection.without_local) {
        bool named = std::find(names.begin(), names.end(), s) != names.end();
        if (named) log::warn("{}: has no local image; it runs its upstream image only", s);
        else log::debug("{}: has no local image", s);
    }
    std::vector<const images::Recipe*> targets;
    for (const auto& r : images::recipes()) {
        bool wanted = std::find(selection.recipes.begin(), selection.recipes.end(), &r) != selection.recipes.end() ||
                      std::find(named_recipes.begin(), named_recipes.end(), &r) != named_recipes.end();
        if (wanted) targets.push_back(&r);
    }
    return targets;
}

ExitCode run_build(Context& ctx, const std::vector<std::string>& names, bool force) {
    auto targets = build_targets(ctx, names);
    if (targets.empty()) {
        log::warn("nothing to build: none of the selected services has a local image");
        return ExitCode::ok;
    }
    images::BuildOptions options;
    options.force = force;
    for (const auto* recipe : targets) {
        auto result = images::build(*recipe, options);
        print(fmt::format("{}\t{}\t{}\t{}\n", recipe->image,
                          result.outcome == images::BuildOutcome::built ? "built" : "up-to-date",
                          format_duration(result.elapsed), result.image_id.substr(0, 12)));
    }
    return ExitCode::ok;
}

nlohmann::ordered_json list_json(Context& ctx, const std::vector<images::ServiceImages>& rows) {
    nlohmann::ordered_json services = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
        nlohmann::ordered_json local = nullptr;
        if (r.local) {
            local = {{"image", *r.local}, {"present", r.local_present}, {"recipe", nullptr}, {"state", nullptr}};
            if (r.recipe) local["recipe"] = *r.recipe;
            if (r.local_state) local["state"] = images::to_string(*r.local_state);
            local["stand_in_for"] = r.stand_in_for ? nlohmann::ordered_json(*r.stand_in_for) : nlohmann::ordered_json(nullptr);
        }
        services.push_back({{"name", r.service},
                            {"upstream", {{"image", r.upstream}, {"present", r.upstream_present}}},
                            {"local", local},
                            {"selected", r.selected}});
    }
    return {{"schema", "envctl.images-list/v1"},
            {"profile", ctx.settings().profile},
            {"images", settings::to_string(ctx.settings().images)},
            {"services", services}};
}

ExitCode run_list(Context& ctx, bool json) {
    auto rows = images::list_images(ctx.settings(), ctx.stack(), profile_services(ctx), Clock::now() + kQueryBudget);
    if (json) {
        print_json(list_json(ctx, rows));
        ctx.json_written = true;
        return ExitCode::ok;
    }
    std::string out = fmt::format("{:<22} {:<9} {:<8} {}\n", "SERVICE", "UPSTREAM", "LOCAL", "RUNS (--images " +
                                  settings::to_string(ctx.settings().images) + ")");
    for (const auto& r : rows) {
        std::string local = "-";
        if (r.local) local = r.local_state ? images::to_string(*r.local_state) : (r.local_present ? "present" : "absent");
        // A stand-in serves the same protocol on the same ports, but is not the service: said on its row.
        std::string note;
        if (r.stand_in_for)
            note = r.local && r.selected == *r.local ? " (a stand-in for " + *r.stand_in_for + ")"
                                                     : " (its local image is a stand-in for " + *r.stand_in_for + ")";
        out += fmt::format("{:<22} {:<9} {:<8} {}{}\n", r.service, r.upstream_present ? "present" : "absent", local,
                           r.selected, note);
    }
    print(out);
    return ExitCode::ok;
}

ExitCode run_check(Context& ctx, bool json) {
    auto services = profile_services(ctx);
    auto missing = images::missing_images(ctx.settings(), ctx.stack(), services, Clock::now() + kQueryBudget);
    if (json) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& m : missing)
            list.push_back({{"service", m.service}, {"image", m.image}, {"fix", m.fix}, {"detail", m.detail}});
        print_json(nlohmann::ordered_json{{"schema", "envctl.images-check/v1"},
                                          {"profile", ctx.settings().profile},
                                          {"images", settings::to_string(ctx.settings().images)},
                                          {"ok", missing.empty()},
                                          {"missing", list}});
        ctx.json_written = true;
    } else if (missing.empty()) {
        print(fmt::format("every image the {} profile needs ({} services, --images {}) is present or pullable\n",
                          ctx.settings().profile, services.size(), settings::to_string(ctx.settings().images)));
    } else {
        std::string out = fmt::format("{} of {} services of the {} profile need an image that is neither present nor "
                                      "pullable (--images {}):\n",
                                      missing.size(), services.size(), ctx.settings().profile,
                                      settings::to_string(ctx.settings().images));
        for (const auto& m : missing)
            out += fmt::format("  {}: {} ({})\n    fix: {}\n", m.service, m.image, m.detail, m.fix);
        print(out);
    }
    return missing.empty() ? ExitCode::ok : ExitCode::preflight;
}

// The named services (with their dependencies) and, with no name or with --profile, the profile's services.
ExitCode run_pull(Context& ctx, const std::vector<std::string>& names) {
    std::vector<std::string> services;
    for (const auto& name : names) {
        (void)ctx.stack().get(name);  // names an unknown service clearly
        services.push_back(name);
    }
    if (names.empty() || ctx.options.profile.has_value())
        for (const auto& s : ctx.stack().profile_services(ctx.settings().profile)) services.push_back(s);
    services = ctx.stack().with_dependencies(services);
    auto summary = pull_absent(ctx, services);
    print(fmt::format("{} image(s) pulled, {} already present ({} services, --images {})\n", summary.pulled,
                      summary.present, services.size(), settings::to_string(ctx.settings().images)));
    return ExitCode::ok;
}

}  // namespace

void register_images(CLI::App& app, Context& ctx) {
    auto* images = app.add_subcommand("images", "Local images built from Debian packages (no registry needed), and pulling upstream ones");
    images->require_subcommand(1);

    auto* build = images->add_subcommand(
        "build", "Build the local images of the named services or recipes (postgresql, redis, azurite, cosmosdb-server, busybox), "
                 "or of the profile's services; unchanged recipes are not rebuilt");
    auto names = std::make_shared<std::vector<std::string>>();
    auto force = std::make_shared<bool>(false);
    build->add_option("NAME", *names, "Services of the stack, or recipe names");
    build->add_flag("--force", *force, "Rebuild even when the image's recipe is unchanged");
    build->callback([&ctx, names, force] { ctx.action = [&ctx, names, force] { return run_build(ctx, *names, *force); }; });

    auto* list = images->add_subcommand("list", "Per service of the profile: upstream and local image, and which are present");
    auto list_json_flag = std::make_shared<bool>(false);
    list->add_flag("--json", *list_json_flag, "One JSON document (schema envctl.images-list/v1)");
    list->callback([&ctx, list_json_flag] {
        if (*list_json_flag) ctx.json_schema = "envctl.images-list/v1";
        ctx.action = [&ctx, list_json_flag] { return run_list(ctx, *list_json_flag); };
    });

    auto* pull = images->add_subcommand(
        "pull", "Pull the absent images the named services (with their dependencies) or the profile's services run "
                "(under --images), as up does, without starting anything; exit 7 naming the cause when a pull fails");
    auto pull_names = std::make_shared<std::vector<std::string>>();
    pull->add_option("SERVICE", *pull_names, "Services of the stack (default: the profile's)");
    pull->callback([&ctx, pull_names] { ctx.action = [&ctx, pull_names] { return run_pull(ctx, *pull_names); }; });

    auto* check = images->add_subcommand(
        "check", "List the images the profile needs (under --images) that are neither present nor pullable; exit 7 if any");
    auto check_json_flag = std::make_shared<bool>(false);
    check->add_flag("--json", *check_json_flag, "One JSON document (schema envctl.images-check/v1)");
    check->callback([&ctx, check_json_flag] {
        if (*check_json_flag) ctx.json_schema = "envctl.images-check/v1";
        ctx.action = [&ctx, check_json_flag] { return run_check(ctx, *check_json_flag); };
    });
}

}  // namespace envctl::cli
