// `envctl kube secret [--podman]`: the Secret <project>-secrets the kustomize tree's workloads read (secretKeyRef),
// from the current settings, to stdout only, for `kubectl apply -f -`; with --podman the ConfigMap of that name
// that k8s/podman/ (podman 4.3's flavour) reads, for `podman kube play --configmap FILE`. The one command that
// prints secret values: it writes no file, and the tree never holds them.

#include <cstdio>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/rendering/kube.hpp"
#include "envctl/rendering/kube_podman.hpp"

namespace envctl::cli {

namespace {

ExitCode print_secret(Context& ctx, bool podman) {
    const auto& settings = ctx.settings();
    const auto& stack = ctx.stack();
    const auto services = stack.with_dependencies(stack.profile_services(settings.profile));
    const auto env = settings.child_environment();
    const references::Lookup lookup = [&env](const std::string& name) -> const std::string* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : &it->second;
    };
    std::string manifest;
    if (podman) {
        // The committed flavour's values: the same keys its Deployments name (podman_play fills the ConfigMap as it
        // renders them), resolved from the current settings.
        std::vector<rendering::ServiceModel> models;
        for (const auto& name : services) models.push_back(rendering::service_model(stack.get(name), settings::ImageFlavour::upstream));
        rendering::kube::PodmanOptions options;
        options.project = settings.project;
        options.project_dir = settings.project_dir;
        options.relative_host_paths = true;
        options.host_port = [](const std::string&) { return 0; };  // the Deployments' ports are not printed
        options.lookup = lookup;
        manifest = rendering::kube::podman_play(models, options).values;
    } else {
        manifest = rendering::kube::secret_manifest(stack, services, settings.project, lookup);
    }
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
    auto podman = std::make_shared<bool>(false);
    secret->add_flag("--podman", *podman,
                     "Print instead the ConfigMap of that name that k8s/podman/ reads (podman kube play --configmap FILE)");
    secret->callback([&ctx, podman] { ctx.action = [&ctx, podman] { return print_secret(ctx, *podman); }; });
}

}  // namespace envctl::cli
