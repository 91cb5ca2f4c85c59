// `envctl generate --format kube [--check] [-o DIR]` and `envctl kube secret`, run as the real binary: the committed
// tree is current, --check finds a changed or stray file, kubectl kustomize renders every kustomization, and no
// secret of the settings is in any file of the tree.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "envctl/settings/env_file.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/subprocess.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kRepo = ENVCTL_REPO_ROOT;

envctl::subprocess::Result run(std::vector<std::string> argv) {
    envctl::subprocess::Spec spec;
    spec.argv = std::move(argv);
    spec.timeout = std::chrono::seconds(60);
    return envctl::subprocess::run(spec);
}

envctl::subprocess::Result envctl_run(std::vector<std::string> args) {
    args.insert(args.begin(), ENVCTL_BINARY);
    return run(std::move(args));
}

// A project with its settings file, the files the services mount and the committed tree.
struct ProjectCopy {
    envctl::test::TempDir dir;
    ProjectCopy() {
        dir.write(".env.development", envctl::files::read(kRepo / ".env.development"));
        fs::copy(kRepo / "compose", dir.path() / "compose", fs::copy_options::recursive);
        fs::copy(kRepo / "k8s", dir.path() / "k8s", fs::copy_options::recursive);
    }
    std::string root() const { return dir.path().string(); }
};

std::vector<fs::path> kustomization_folders(const fs::path& tree) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::recursive_directory_iterator(tree))
        if (entry.path().filename() == "kustomization.yaml") out.push_back(entry.path().parent_path());
    return out;
}

}  // namespace

TEST(GenerateKube, TheCommittedTreeIsWhatTheDescriptorsProduce) {
    const auto r = envctl_run({"--project-dir", kRepo.string(), "generate", "--check", "--format", "kube"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(GenerateKube, CheckExits10ForAChangedMissingOrStrayFileAndGenerateRepairsIt) {
    ProjectCopy p;
    const fs::path statefulset = p.dir.path() / "k8s/base/postgresql/statefulset.yaml";
    std::string text = envctl::files::read(statefulset);
    const auto at = text.find("\"512Mi\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 7, "\"768Mi\"");
    envctl::files::write_atomic(statefulset, text);
    auto r = envctl_run({"--project-dir", p.root(), "generate", "--check", "--format", "kube"});
    EXPECT_EQ(r.exit_code, 10) << r.out << r.err;
    EXPECT_NE(r.out.find("k8s/base/postgresql/statefulset.yaml is not what the descriptors produce"),
              std::string::npos)
        << r.out;

    p.dir.write("k8s/base/stray/deployment.yaml", "kind: Deployment\n");
    fs::remove(p.dir.path() / "k8s/profiles/core/kustomization.yaml");
    r = envctl_run({"--project-dir", p.root(), "generate", "--format", "kube"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_FALSE(fs::exists(p.dir.path() / "k8s/base/stray"));
    EXPECT_TRUE(fs::exists(p.dir.path() / "k8s/profiles/core/kustomization.yaml"));
    r = envctl_run({"--project-dir", p.root(), "generate", "--check", "--format", "kube"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

    p.dir.write("k8s/profiles/core/extra.yaml", "kind: ConfigMap\n");
    r = envctl_run({"--project-dir", p.root(), "generate", "--check", "--format", "kube"});
    EXPECT_EQ(r.exit_code, 10) << r.out << r.err;
    EXPECT_NE(r.out.find("k8s/profiles/core/extra.yaml is not part of the generated tree"), std::string::npos) << r.out;
}

TEST(GenerateKube, KubectlKustomizeRendersEveryKustomization) {
    REQUIRE_PREREQUISITE(run({"kubectl", "version", "--client"}).exit_code == 0, "kubectl (kustomize v5)");
    envctl::test::TempDir out;
    const auto r = envctl_run({"--project-dir", kRepo.string(), "generate", "--format", "kube", "-o",
                               (out.path() / "k8s").string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto folders = kustomization_folders(out.path() / "k8s");
    EXPECT_GE(folders.size(), 45u);  // base, 20 services, core, full; podman/: 20 services, core, full
    for (const auto& folder : folders) {
        const auto k = run({"kubectl", "kustomize", folder.string()});
        EXPECT_EQ(k.exit_code, 0) << folder << ": " << k.err;
        // podman 4.3 plays no Service and no StatefulSet: its flavour is Deployments only.
        const bool podman = folder.string().find("/k8s/podman") != std::string::npos;
        EXPECT_EQ(k.out.find("kind: Service\n") != std::string::npos, !podman) << folder;
        if (podman) {
            EXPECT_EQ(k.out.find("kind: StatefulSet\n"), std::string::npos) << folder;
        }
    }
    // podman's core: the Deployments of the core profile, the data on the podman volume intl_<volume>, mounted
    // files as hostPaths relative to the project folder (podman resolves them in the folder it runs in).
    const auto podman_core = run({"kubectl", "kustomize", (out.path() / "k8s/podman/profiles/core").string()});
    EXPECT_NE(podman_core.out.find("  name: intl-postgresql\n"), std::string::npos) << podman_core.out;
    EXPECT_NE(podman_core.out.find("claimName: intl_postgresql-data\n"), std::string::npos) << podman_core.out;
    EXPECT_EQ(podman_core.out.find("  name: intl-grafana\n"), std::string::npos) << podman_core.out;
    const auto podman_grafana = run({"kubectl", "kustomize", (out.path() / "k8s/podman/grafana").string()});
    EXPECT_NE(podman_grafana.out.find("path: compose/grafana/"), std::string::npos) << podman_grafana.out;
    const auto core = run({"kubectl", "kustomize", (out.path() / "k8s/profiles/core").string()});
    EXPECT_NE(core.out.find("  name: postgresql\n"), std::string::npos) << core.out;
    EXPECT_EQ(core.out.find("  name: grafana\n"), std::string::npos) << core.out;
}

namespace {

// scripts/validate-kube: kubectl kustomize of each profile (every object of the tree) and `envctl kube secret`,
// each object checked against the Kubernetes OpenAPI schema by the npm package kubernetes-models.
envctl::subprocess::Result validate_kube(const fs::path& tree) {
    envctl::subprocess::Spec spec;
    spec.argv = {"bash", (kRepo / "scripts/validate-kube").string(), tree.string(), ENVCTL_BINARY};
    spec.timeout = std::chrono::seconds(180);
    return envctl::subprocess::run(spec);
}

void require_schema_validator() {
    REQUIRE_PREREQUISITE(run({"kubectl", "version", "--client"}).exit_code == 0, "kubectl (kustomize v5)");
    REQUIRE_PREREQUISITE(run({"node", "--version"}).exit_code == 0, "node (scripts/setup --tests)");
    REQUIRE_PREREQUISITE(fs::exists(kRepo / "scripts/kube/node_modules/kubernetes-models/package.json"),
                         "the npm package kubernetes-models under scripts/kube (scripts/setup --tests)");
}

}  // namespace

TEST(GenerateKube, EveryRenderedObjectIsValidAgainstTheKubernetesSchema) {
    require_schema_validator();
    if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure()) return;  // the helper's skip or failure ends the test
    envctl::test::TempDir out;
    const auto r = envctl_run({"--project-dir", kRepo.string(), "generate", "--format", "kube", "-o",
                               (out.path() / "k8s").string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    // The profiles hold every object of the tree (full: all 20 services); the Secret comes from `kube secret`.
    // podman/profiles: podman's flavour, every Deployment of it.
    for (const char* profiles : {"k8s/profiles", "k8s/podman/profiles"}) {
        const auto v = validate_kube(out.path() / profiles);
        EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
        EXPECT_NE(v.out.find(" 0 invalid"), std::string::npos) << v.out;
    }
}

TEST(GenerateKube, TheSchemaValidatorRefusesAnInvalidObject) {
    require_schema_validator();
    if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure()) return;  // the helper's skip or failure ends the test
    envctl::test::TempDir tree;
    tree.write("bad/kustomization.yaml", "resources:\n  - deployment.yaml\n");
    // A Deployment without a selector and with a port given as text: both refused by the schema.
    tree.write("bad/deployment.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\nspec:\n  template:\n"
               "    spec:\n      containers:\n        - name: c\n          image: busybox\n"
               "          ports:\n            - containerPort: \"eighty\"\n");
    const auto v = validate_kube(tree.path());
    EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
    EXPECT_NE(v.out.find("Deployment broken:"), std::string::npos) << v.out;
}

TEST(GenerateKube, NoSecretOfTheSettingsIsInAnyFileOfTheTree) {
    const auto settings = envctl::settings::load_env_file(kRepo / ".env.development");
    std::vector<std::string> secrets;
    for (const auto& e : settings.entries)
        if (envctl::Redactor::is_secret_name(e.key) && e.value.size() >= 6) secrets.push_back(e.value);
    ASSERT_GE(secrets.size(), 5u);
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(kRepo / "k8s")) {
        if (!entry.is_regular_file()) continue;
        ++files;
        const std::string content = envctl::files::read(entry.path());
        const std::string rel = entry.path().lexically_relative(kRepo / "k8s").generic_string();
        if (const auto at = rel.find("/files/"); at != std::string::npos) {
            // A mounted file: a byte copy of the committed one under compose/ (whose words "development" is one of).
            EXPECT_EQ(content, envctl::files::read(kRepo / rel.substr(at + 7))) << rel;
            continue;
        }
        for (const auto& secret : secrets)
            EXPECT_EQ(content.find(secret), std::string::npos) << entry.path() << " holds a secret value";
    }
    EXPECT_GE(files, 60u);
}

TEST(KubeSecretCommand, PrintsTheProjectSecretWithTheSettingsValues) {
    const auto settings = envctl::settings::load_env_file(kRepo / ".env.development");
    std::string password;
    for (const auto& e : settings.entries)
        if (e.key == "POSTGRES_PASSWORD") password = e.value;
    ASSERT_FALSE(password.empty());
    const auto r = envctl_run({"--project-dir", kRepo.string(), "kube", "secret"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out.rfind("apiVersion: v1\nkind: Secret\nmetadata:\n  name: intl-secrets\n", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("  POSTGRES_PASSWORD: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(password), std::string::npos);
}

namespace {

// Every configMapKeyRef key under `node` (a Deployment of k8s/podman/).
void config_map_keys(const YAML::Node& node, std::set<std::string>& keys) {
    if (node.IsMap()) {
        if (node["configMapKeyRef"]) keys.insert(node["configMapKeyRef"]["key"].as<std::string>());
        for (const auto& kv : node) config_map_keys(kv.second, keys);
    } else if (node.IsSequence()) {
        for (const auto& item : node) config_map_keys(item, keys);
    }
}

}  // namespace

TEST(KubeSecretCommand, PodmanPrintsTheConfigMapWithEveryKeyTheCommittedPodmanFlavourReads) {
    const auto r = envctl_run({"--project-dir", kRepo.string(), "--profile", "full", "kube", "secret", "--podman"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto printed = YAML::Load(r.out);
    EXPECT_EQ(printed["kind"].as<std::string>(), "ConfigMap");
    EXPECT_EQ(printed["metadata"]["name"].as<std::string>(), "intl-secrets");
    std::set<std::string> wanted;
    for (const auto& entry : fs::directory_iterator(kRepo / "k8s" / "podman")) {
        if (fs::exists(entry.path() / "deployment.yaml")) config_map_keys(YAML::LoadFile((entry.path() / "deployment.yaml").string()), wanted);
    }
    ASSERT_FALSE(wanted.empty());
    for (const auto& key : wanted) EXPECT_TRUE(printed["data"][key].IsDefined()) << key << " missing from\n" << r.out;
    const auto settings = envctl::settings::load_env_file(kRepo / ".env.development");
    for (const auto& e : settings.entries)
        if (e.key == "POSTGRES_PASSWORD") {
            EXPECT_EQ(printed["data"]["POSTGRES_PASSWORD"].as<std::string>(), e.value);
        }
}
