// `envctl kube secret`: the Secret <project>-secrets the kustomize tree's workloads read (secretKeyRef), from the
// current settings, to stdout only, for `kubectl apply -f -`. The one command that prints secret values: it
// writes no file, and the tree never holds them.

#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/rendering/kube.hpp"

namespace envctl::cli {

namespace {

ExitCode print_secret(Context& ctx) {
    const auto& settings = ctx.settings();
    const auto& stack = ctx.stack();
    const auto services = stack.with_dependencies(stack.profile_services(settings.profile));
    const auto env = settings.child_environment();
    const references::Lookup lookup = [&env](const std::string& name) -> const std::string* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : &it->second;
    };
    const std::string manifest = rendering::kube::secret_manifest(stack, services, settings.project, lookup);
    std::fputs(manifest.c_str(), stdout);  // not redacted: the values are what this command is for
    std::fflush(stdout);
    return ExitCode::ok;
}

}  // namespace

void register_kube(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("kube", "Kubernetes: the Secret the kustomize tree (k8s/) reads");
    cmd->require_subcommand(1);
    auto* secret = cmd->add_subcommand(
        "secret", "Print the Secret <project>-secrets from the current settings, for `kubectl apply -f -`");
    secret->callback([&ctx] { ctx.action = [&ctx] { return print_secret(ctx); }; });
}

}  // namespace envctl::cli
