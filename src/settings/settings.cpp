#include "envctl/settings/settings.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <regex>

#include "envctl/core/error.hpp"
#include "envctl/settings/child_env.hpp"
#include "envctl/settings/env_file.hpp"

namespace envctl::settings {
namespace {

constexpr const char* kEnvFileName = ".env.development";

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> split_list(const std::string& value) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        auto end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        std::string item = value.substr(start, end - start);
        // Spaces around commas are allowed; spaces inside a name are not (the identifier check says so).
        auto b = item.find_first_not_of(' ');
        auto e = item.find_last_not_of(' ');
        out.push_back(b == std::string::npos ? std::string() : item.substr(b, e - b + 1));
        start = end + 1;
    }
    return out;
}

bool valid_bind_address(const std::string& a) {
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, a.c_str(), buf) == 1 || inet_pton(AF_INET6, a.c_str(), buf) == 1;
}

bool valid_project_name(const std::string& p) {
    static const std::regex re("^[a-z0-9][a-z0-9_-]{0,62}$");
    return std::regex_match(p, re);
}

}  // namespace

std::string to_string(ImageFlavour f) { return f == ImageFlavour::local ? "local" : "upstream"; }
std::string to_string(EngineKind e) {
    return e == EngineKind::podman ? "podman" : e == EngineKind::kube ? "kube" : "podman-compose";
}

std::string Origin::describe(const std::string& variable) const {
    switch (kind) {
    case Kind::env_file: return variable + " (" + file.string() + ":" + std::to_string(line) + ")";
    case Kind::process_env: return variable + " (process environment)";
    case Kind::flag: return variable + " (command line)";
    case Kind::auto_port: return variable + " (picked by ENVCTL_PORTS=auto, " + file.string() + ")";
    case Kind::builtin_default: return variable + " (built-in default)";
    }
    return variable;
}

void Variables::set(const std::string& name, std::string value, Origin origin) {
    values_[name] = std::move(value);
    origins_[name] = std::move(origin);
}

bool Variables::has(const std::string& name) const { return values_.count(name) != 0; }

const std::string* Variables::find(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? nullptr : &it->second;
}

const std::string& Variables::require(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end())
        throw usage_error(name + " is not set: add " + name + "=... to " + kEnvFileName + " or the environment");
    return it->second;
}

const Origin& Variables::origin(const std::string& name) const {
    static const Origin none{};
    auto it = origins_.find(name);
    return it == origins_.end() ? none : it->second;
}

int Variables::port(const std::string& name) const {
    const std::string& v = require(name);
    int port = 0;
    bool digits = !v.empty() && v.size() <= 5;
    for (char c : v) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits) port = std::stoi(v);
    if (!digits || port < 1 || port > 65535)
        throw usage_error(origin(name).describe(name) + ": '" + v + "' is not a port: expected a number from 1 to 65535");
    return port;
}

Duration Variables::duration(const std::string& name) const {
    const std::string& v = require(name);
    auto d = parse_duration(v);
    if (!d) throw usage_error(origin(name).describe(name) + ": '" + v + "' is not a duration: write e.g. 500ms, 30s, 2m");
    return *d;
}

const std::map<std::string, std::string>& builtin_defaults() {
    static const std::map<std::string, std::string> defaults{
        {"ENVCTL_PROJECT", "intl"},
        {"ENVCTL_BIND_ADDRESS", "127.0.0.1"},
        {"ENVCTL_READY_BUDGET", "30s"},
        {"ENVCTL_PULL_TIMEOUT", "10m"},
        {"ENVCTL_IMAGES", "upstream"},
        {"ENVCTL_ENGINE", "podman"},
        {"ENVCTL_PORTS", "fixed"},
        {"ENVCTL_DB_SPARES", "4"},
        {"DAPR_PLACEMENT_HEALTH_PORT", "6052"},
        {"DAPR_SENTRY_HEALTH_PORT", "6053"},
        {"SERVICE_BUS_HEALTH_PORT", "5300"},
        {"COSMOSDB_HEALTH_PORT", "8082"},
        {"GRAFANA_AGENT_PORT", "12345"},
        {"TEMPO_OTLP_PORT", "4318"},
        {"MIGRATION_APPROACH", "aggressive"},
        {"MIGRATION_TIMEOUT", "30s"},
    };
    return defaults;
}

bool is_plain_identifier(const std::string& name) {
    static const std::regex re("^[a-z_][a-z0-9_]*$");
    return name.size() <= 63 && std::regex_match(name, re);
}

std::filesystem::path find_project_dir(const std::optional<std::filesystem::path>& explicit_dir,
                                       const std::filesystem::path& start) {
    if (explicit_dir) {
        auto dir = std::filesystem::absolute(*explicit_dir).lexically_normal();
        if (!std::filesystem::is_directory(dir))
            throw usage_error("--project-dir " + explicit_dir->string() + ": not a directory");
        return dir;
    }
    for (auto dir = std::filesystem::absolute(start).lexically_normal();; dir = dir.parent_path()) {
        if (std::filesystem::exists(dir / kEnvFileName)) return dir;
        if (dir == dir.root_path() || dir.empty()) break;
    }
    throw usage_error(std::string("no ") + kEnvFileName + " in " + start.string() +
                      " or any parent folder: run envctl inside the project, or give --project-dir");
}

std::map<std::string, std::string> Settings::child_environment() const {
    auto env = base_environment;
    for (const auto& [k, v] : vars.all())
        if (!child_variables || child_variables->contains(k) || k.starts_with("ENVCTL_")) env[k] = v;
    return env;
}

Settings load(const GlobalOptions& options, const std::map<std::string, std::string>& process_env,
              const std::filesystem::path& cwd) {
    Settings s;
    s.base_environment = process_env;
    if (options.env_file && !options.project_dir) {
        // An explicit env file outside any project makes its folder the project root.
        try {
            s.project_dir = find_project_dir(std::nullopt, cwd);
        } catch (const Error&) {
            s.project_dir = std::filesystem::absolute(cwd / *options.env_file).parent_path().lexically_normal();
        }
    } else {
        s.project_dir = find_project_dir(options.project_dir, cwd);
    }
    s.env_file = options.env_file ? std::filesystem::absolute(cwd / *options.env_file).lexically_normal()
                                  : s.project_dir / kEnvFileName;
    if (options.stack_file) s.stack_file = std::filesystem::absolute(cwd / *options.stack_file).lexically_normal();

    // Precedence, lowest first: built-in default, env file, process environment, flag.
    for (const auto& [k, v] : builtin_defaults()) s.vars.set(k, v, Origin{});
    const EnvFile file = load_env_file(s.env_file);
    refuse_engine_variables(file);
    for (const auto& e : file.entries) s.vars.set(e.key, e.value, Origin{Origin::Kind::env_file, file.path, e.line});
    std::vector<std::string> known;
    for (const auto& [k, v] : s.vars.all()) known.push_back(k);
    for (const auto& k : known) {
        auto it = process_env.find(k);
        if (it != process_env.end()) s.vars.set(k, it->second, Origin{Origin::Kind::process_env, {}, 0});
    }
    if (options.images) s.vars.set("ENVCTL_IMAGES", *options.images, Origin{Origin::Kind::flag, {}, 0});
    if (options.engine) s.vars.set("ENVCTL_ENGINE", *options.engine, Origin{Origin::Kind::flag, {}, 0});
    if (options.ports) s.vars.set("ENVCTL_PORTS", *options.ports, Origin{Origin::Kind::flag, {}, 0});

    // Validate everything before any command acts.
    for (const auto& [k, v] : s.vars.all())
        if (ends_with(k, "_PORT")) (void)s.vars.port(k);
    for (const char* required : {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}) (void)s.vars.require(required);

    s.project = s.vars.require("ENVCTL_PROJECT");
    if (!valid_project_name(s.project))
        throw usage_error(s.vars.origin("ENVCTL_PROJECT").describe("ENVCTL_PROJECT") + ": '" + s.project +
                          "' is not a project name: lower-case letters, digits, '-' and '_', starting with a letter or digit");
    std::string file_project = builtin_defaults().at("ENVCTL_PROJECT");
    for (const auto& e : file.entries)
        if (e.key == "ENVCTL_PROJECT") file_project = e.value;
    if (s.project != file_project) s.state_subdir = std::filesystem::path("projects") / s.project;
    s.bind_address = s.vars.require("ENVCTL_BIND_ADDRESS");
    if (!valid_bind_address(s.bind_address))
        throw usage_error(s.vars.origin("ENVCTL_BIND_ADDRESS").describe("ENVCTL_BIND_ADDRESS") + ": '" +
                          s.bind_address + "' is not an IP address: use e.g. 127.0.0.1");
    s.ready_budget = s.vars.duration("ENVCTL_READY_BUDGET");
    (void)s.vars.duration("ENVCTL_PULL_TIMEOUT");
    (void)s.vars.duration("MIGRATION_TIMEOUT");

    const std::string& images = s.vars.require("ENVCTL_IMAGES");
    if (images == "upstream") s.images = ImageFlavour::upstream;
    else if (images == "local") s.images = ImageFlavour::local;
    else throw usage_error(s.vars.origin("ENVCTL_IMAGES").describe("ENVCTL_IMAGES") + ": '" + images + "': expected upstream or local");
    const std::string& engine = s.vars.require("ENVCTL_ENGINE");
    if (engine == "podman") s.engine = EngineKind::podman;
    else if (engine == "podman-compose") s.engine = EngineKind::podman_compose;
    else if (engine == "kube") s.engine = EngineKind::kube;
    else throw usage_error(s.vars.origin("ENVCTL_ENGINE").describe("ENVCTL_ENGINE") + ": '" + engine + "': expected podman, podman-compose or kube");

    const std::string& ports = s.vars.require("ENVCTL_PORTS");
    if (ports == "auto") s.auto_ports = true;
    else if (ports != "fixed")
        throw usage_error(s.vars.origin("ENVCTL_PORTS").describe("ENVCTL_PORTS") + ": '" + ports +
                          "': expected fixed (the env file's ports) or auto (free host ports picked for this project)");

    const std::string& spares = s.vars.require("ENVCTL_DB_SPARES");
    static const std::regex whole_number("^[0-9]{1,2}$");
    if (!std::regex_match(spares, whole_number) || std::stoi(spares) > 64)
        throw usage_error(s.vars.origin("ENVCTL_DB_SPARES").describe("ENVCTL_DB_SPARES") + ": '" + spares +
                          "' is not a number of spare databases: write a whole number from 0 (no spares) to 64");
    s.db_spares = std::stoi(spares);

    const std::string& approach = s.vars.require("MIGRATION_APPROACH");
    if (approach != "aggressive")
        throw usage_error(s.vars.origin("MIGRATION_APPROACH").describe("MIGRATION_APPROACH") + ": '" + approach +
                          "': only 'aggressive' is supported (always migrate to the latest version, reset on drift)");

    if (const auto* dbs = s.vars.find("POSTGRES_MULTIPLE_DATABASES"); dbs && !dbs->empty()) {
        for (const auto& name : split_list(*dbs)) {
            if (!is_plain_identifier(name))
                throw usage_error(s.vars.origin("POSTGRES_MULTIPLE_DATABASES").describe("POSTGRES_MULTIPLE_DATABASES") +
                                  ": '" + name + "' is not a plain SQL identifier: use lower-case letters, digits and _ "
                                  "([a-z_][a-z0-9_]*, at most 63 characters), separated by commas");
            for (const auto& existing : s.databases)
                if (existing == name)
                    throw usage_error(s.vars.origin("POSTGRES_MULTIPLE_DATABASES").describe("POSTGRES_MULTIPLE_DATABASES") +
                                      ": '" + name + "' is listed twice");
            s.databases.push_back(name);
        }
    }
    if (options.profile) s.profile = *options.profile;
    return s;
}

}  // namespace envctl::settings
