#include "support/engine_stack.hpp"
#include "support/test_paths.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "envctl/engine/podman_cli.hpp"
#include "envctl/engine/podman_compose_engine.hpp"
#include "envctl/engine/podman_engine.hpp"
#include "support/busybox_image.hpp"

namespace envctl::test {
namespace {

namespace fs = std::filesystem;
using engine::ServiceSpec;

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

ServiceSpec busybox_httpd(const std::string& name, const std::string& group, int port) {
    ServiceSpec s;
    s.name = name;
    s.group = group;
    s.image = kBusyboxImage;
    s.entrypoint = {"/bin/busybox"};
    s.command = {"httpd", "-f", "-p", "8080", "-h", "/"};
    s.ports = {engine::PublishedPort{"127.0.0.1", port, 8080, "tcp"}};
    s.memory = "64m";
    return s;
}

nlohmann::json container_settings(const std::string& container,
                                  const std::vector<std::pair<std::string, std::string>>& replacements) {
    auto r = podman({"container", "inspect", container});
    if (!r.ok()) return {{"error", r.err}};
    std::string text = r.out;
    for (const auto& [from, to] : replacements) {
        for (std::size_t pos; (pos = text.find(from)) != std::string::npos;) text.replace(pos, from.size(), to);
    }
    auto c = nlohmann::json::parse(text).at(0);
    const auto& config = c.at("Config");
    const auto& host = c.at("HostConfig");
    nlohmann::json mounts = nlohmann::json::array();
    for (const auto& m : c.at("Mounts")) mounts.push_back({m.value("Name", ""), m.value("Source", ""),
                                                          m.at("Destination"), m.at("RW")});
    // podman adds the container's short id as an alias of its own.
    nlohmann::json aliases = nlohmann::json::array();
    for (const auto& [network, settings] : c.at("NetworkSettings").at("Networks").items()) {
        for (const auto& a : settings.value("Aliases", nlohmann::json::array())) {
            const std::string alias = a.get<std::string>();
            if (c.at("Id").get<std::string>().rfind(alias, 0) != 0) aliases.push_back(network + ":" + alias);
        }
    }
    // podman adds HOSTNAME (and HOME, from the image's /etc/passwd) when a container starts.
    std::vector<std::string> env;
    for (const auto& e : config.at("Env")) {
        const std::string text = e.get<std::string>();
        if (text.rfind("HOSTNAME=", 0) != 0 && text.rfind("HOME=", 0) != 0) env.push_back(text);
    }
    std::sort(env.begin(), env.end());
    return {
        {"name", c.at("Name")}, {"image", config.at("Image")}, {"labels", config.at("Labels")},
        {"entrypoint", config.at("Entrypoint")}, {"cmd", config.at("Cmd")}, {"env", env},
        {"healthcheck", config.value("Healthcheck", nlohmann::json())}, {"stop_signal", config.at("StopSignal")},
        {"user", config.at("User")}, {"ports", host.at("PortBindings")}, {"memory", host.at("Memory")},
        {"memory_swap", host.at("MemorySwap")}, {"ulimits", host.value("Ulimits", nlohmann::json())},
        {"stop_timeout", config.value("StopTimeout", nlohmann::json())},
        {"shm", host.at("ShmSize")}, {"caps", host.at("CapAdd")}, {"mounts", mounts},
        {"network_aliases", aliases},
    };
}

subprocess::Result podman(const std::vector<std::string>& args) {
    subprocess::Spec spec;
    spec.argv = {"podman"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = std::chrono::seconds(60);
    return subprocess::run(spec);
}

EngineTestStack::EngineTestStack(std::string project, int base_port)
    : project_(std::move(project)), base_port_(base_port) {
    fs::path data = fs::path(ENVCTL_TEST_DATA) / "engine" / "three_level.yml";
    compose_file_ = dir_.path() / "run" / "compose.yml";
    fs::create_directories(compose_file_.parent_path());
    fs::copy_file(data, compose_file_);
    dir_.write("run/mounted.txt", "mounted by the engine tests\n");
    for (const auto& s : services()) hashes_[s] = "hash-" + s + "-1";
    remove_everything();
}

EngineTestStack::~EngineTestStack() { remove_everything(); }

int EngineTestStack::port(const std::string& service) const {
    if (service == "alpha") return base_port_;
    if (service == "beta") return base_port_ + 1;
    return base_port_ + 2;
}

subprocess::Environment EngineTestStack::environment() const {
    auto env = subprocess::current_environment();
    env["ENGINETEST_IMAGE"] = kBusyboxImage;
    env.erase("ENGINETEST_GREETING");
    for (const auto& s : services()) {
        env["ENGINETEST_PORT_" + upper(s)] = std::to_string(port(s));
        env["ENGINETEST_HASH_" + upper(s)] = hashes_.at(s);
    }
    return env;
}

engine::ProjectSpec EngineTestStack::spec() const {
    engine::ProjectSpec p;
    p.project = project_;
    p.compose_file = compose_file_;
    p.environment = environment();
    ServiceSpec alpha = busybox_httpd("alpha", "core", port("alpha"));
    alpha.command = {"sh", "-c",
                     "echo alpha-one; echo alpha-two >&2; echo alpha-three; exec /bin/busybox httpd -f -p 8080 -h /"};
    alpha.environment = {{"GREETING", "hello"}, {"PEER", "beta"}};
    alpha.volumes = {engine::VolumeMount{project_ + "_alpha-data", "/data"}};
    alpha.healthcheck = engine::Healthcheck{"/bin/busybox wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1",
                                            "10s", "5s", "30s", 3};
    ServiceSpec beta = busybox_httpd("beta", "core", port("beta"));
    beta.depends_on = {"alpha"};
    ServiceSpec gamma = busybox_httpd("gamma", "observability", port("gamma"));
    gamma.depends_on = {"beta"};
    gamma.volumes = {engine::VolumeMount{project_ + "_gamma-data", "/data"}};
    gamma.mounts = {engine::BindMount{fs::canonical(compose_file_.parent_path() / "mounted.txt"), "/etc/mounted.txt", true}};
    gamma.stop_signal = "SIGTERM";
    p.services = {alpha, beta, gamma};
    for (auto& s : p.services) s.config_hash = hashes_.at(s.name);
    return p;
}

std::unique_ptr<engine::Engine> EngineTestStack::native(bool use_api) const {
    engine::ProjectSpec p = spec();
    engine::EngineProject project{project_, environment(), p.volume_names()};
    return std::make_unique<engine::PodmanEngine>(std::move(project), [p] { return p; }, use_api);
}

std::unique_ptr<engine::Engine> EngineTestStack::compose() const {
    engine::EngineProject project{project_, environment(), spec().volume_names()};
    engine::ComposeRun run;
    run.expected_hashes = hashes_;
    run.prepare_file = [file = compose_file_](std::map<std::string, std::string>&) { return file; };
    return std::make_unique<engine::PodmanComposeEngine>(std::move(project), std::move(run));
}

subprocess::Result EngineTestStack::podman_compose(const std::vector<std::string>& args, int timeout_seconds) const {
    subprocess::Spec spec;
    spec.argv = {"podman-compose", "-p", project_, "-f", compose_file_.string()};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = environment();
    spec.timeout = std::chrono::seconds(timeout_seconds);
    return subprocess::run(spec);
}

std::vector<std::string> EngineTestStack::leftovers() const {
    std::string filter = "label=io.podman.compose.project=" + project_;
    std::vector<std::string> out;
    for (const auto& n : engine::output_lines(podman({"ps", "-a", "--format", "{{.Names}}", "--filter", filter}).out)) {
        out.push_back("container " + n);
    }
    for (const auto& n : engine::output_lines(podman({"network", "ls", "--format", "{{.Name}}"}).out)) {
        if (n.rfind(project_ + "_", 0) == 0) out.push_back("network " + n);
    }
    for (const auto& n : engine::output_lines(podman({"volume", "ls", "--format", "{{.Name}}"}).out)) {
        if (n.rfind(project_ + "_", 0) == 0) out.push_back("volume " + n);
    }
    return out;
}

void EngineTestStack::remove_everything() const {
    podman({"rm", "-f", "-t", "0", "--filter", "label=io.podman.compose.project=" + project_});
    podman({"network", "rm", "-f", project_ + "_default"});
    for (const auto& n : engine::output_lines(podman({"volume", "ls", "--format", "{{.Name}}"}).out)) {
        if (n.rfind(project_ + "_", 0) == 0) podman({"volume", "rm", "-f", n});
    }
}

}  // namespace envctl::test
