#include "support/envctl_project.hpp"
#include "support/test_paths.hpp"

#include <fstream>
#include <sstream>

#include "support/engine_stack.hpp"

namespace envctl::test {
namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

std::string podman_out(const std::vector<std::string>& args) { return podman(args).out; }

EnvctlProject::EnvctlProject(const std::string& project, const std::string& stack,
                             const std::map<std::string, std::string>& variables)
    : project_(project) {
    secrets_ = {"e2e-Postgres-Secret-1", "e2e-token-Secret-2", "e2e-owner-Secret-3"};
    std::string env = "POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=" + secrets_[0] + "\nPOSTGRES_DB=e2e\n"
                      "E2E_SECRET_TOKEN=" + secrets_[1] + "\nSERVICES_DB_PASSWORD=" + secrets_[2] + "\n"
                      "ENVCTL_PROJECT=" + project + "\n";
    for (const auto& [k, v] : variables) env += k + "=" + v + "\n";
    dir_.write(".env.development", env);
    std::ifstream in(std::filesystem::path(ENVCTL_TEST_DATA) / stack);
    std::stringstream content;
    content << in.rdbuf();
    dir_.write("stack.yaml", content.str());
}

EnvctlProject::~EnvctlProject() {
    auto ids = lines(podman_out({"ps", "-aq", "--filter", "label=io.podman.compose.project=" + project_}));
    if (!ids.empty()) {
        std::vector<std::string> rm{"rm", "-f", "-t", "0"};
        rm.insert(rm.end(), ids.begin(), ids.end());
        podman_out(rm);
    }
    podman_out({"network", "rm", "-f", project_ + "_default"});
    for (const auto& v : volumes()) podman_out({"volume", "rm", "-f", v});
}

subprocess::Result EnvctlProject::run(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                                      const std::map<std::string, std::string>& extra_env) const {
    subprocess::Spec spec;
    spec.argv = argv(args);
    auto env = subprocess::current_environment();
    for (const auto& [k, v] : variables()) env[k] = v;
    for (const auto& [k, v] : extra_env) env[k] = v;
    spec.env = env;
    spec.timeout = timeout;
    return subprocess::run(spec);
}

std::vector<std::string> EnvctlProject::argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {ENVCTL_BINARY, "--project-dir", dir_.path().string(), "--stack",
                                     (dir_.path() / "stack.yaml").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

std::map<std::string, std::string> EnvctlProject::variables() const {
    return {{"ENVCTL_LOCK_DIR", (dir_.path() / "locks").string()}};
}

std::vector<std::string> EnvctlProject::containers() const {
    return lines(podman_out({"ps", "-a", "--format", "{{.Names}}", "--filter", "label=io.podman.compose.project=" + project_}));
}

std::vector<std::string> EnvctlProject::volumes() const {
    std::vector<std::string> out;
    for (const auto& v : lines(podman_out({"volume", "ls", "--format", "{{.Name}}"})))
        if (v.rfind(project_ + "_", 0) == 0) out.push_back(v);
    return out;
}

bool EnvctlProject::network_exists() const {
    subprocess::Spec spec;
    spec.argv = {"podman", "network", "exists", project_ + "_default"};
    spec.timeout = std::chrono::seconds(20);
    return subprocess::run(spec).ok();
}

std::string EnvctlProject::reports() const {
    std::string all;
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.path() / ".envctl" / "reports", ec)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path());
        std::stringstream s;
        s << in.rdbuf();
        all += s.str();
    }
    return all;
}

}  // namespace envctl::test
