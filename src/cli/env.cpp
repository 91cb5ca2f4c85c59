// envctl env [--format sh|dotenv|json]: what a job needs to reach the environment: every port variable's effective
// value (under ENVCTL_PORTS=auto, the project's choice), each service's endpoint, one connection string per
// database. Passwords only in sh and dotenv (meant to be eval'ed or written to a 0600 file); the JSON document
// (envctl.env/v1) carries none. Starts and changes nothing.
#include <algorithm>
#include <cctype>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "envctl/cli/connection_text.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/migrations/config.hpp"
#include "envctl/orchestration/port_choice.hpp"
#include "envctl/orchestration/status.hpp"

namespace envctl::cli {
namespace {

struct EnvArgs {
    std::string format = "sh";
};

std::string upper_name(const std::string& name) {
    std::string out;
    for (unsigned char c : name) out += std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_';
    return out;
}

struct Listing {
    std::vector<std::pair<std::string, std::string>> variables;  // port variables, stack order
    std::vector<std::pair<std::string, std::string>> endpoints;  // service -> host:port, the profile's services
    std::vector<std::pair<std::string, std::string>> databases;  // SERVICES_DB_URL -> url without password
    std::vector<std::pair<std::string, std::string>> secret_databases;  // the same with the owner's password
};

Listing listing(Context& ctx) {
    const auto& settings = ctx.settings();
    const auto& stack = ctx.stack();
    Listing out;
    for (const auto& name : orchestration::port_variables(stack))
        if (const auto* value = settings.vars.find(name)) out.variables.emplace_back(name, *value);
    for (const auto& name : select_services(ctx, {}, true)) {
        auto endpoint = orchestration::endpoint_of(stack.get(name), settings);
        if (!endpoint.empty()) out.endpoints.emplace_back(name, endpoint);
    }
    if (!settings.databases.empty()) {
        const auto config = migrations::config_from(settings);
        for (const auto& target : config.databases) {
            const auto key = upper_name(target.name) + "_URL";
            out.databases.emplace_back(key, database_url(config.admin, target.owner, nullptr, target.name));
            out.secret_databases.emplace_back(key, database_url(config.admin, target.owner, &target.owner_password, target.name));
        }
    }
    return out;
}

ExitCode run(Context& ctx, const EnvArgs& args) {
    if (args.format == "json") ctx.json_schema = "envctl.env/v1";
    const auto l = listing(ctx);
    if (args.format == "json") {
        nlohmann::ordered_json vars = nlohmann::ordered_json::object(), endpoints = nlohmann::ordered_json::object(),
                               dbs = nlohmann::ordered_json::object();
        for (const auto& [k, v] : l.variables) vars[k] = v;
        for (const auto& [k, v] : l.endpoints) endpoints[k] = v;
        for (const auto& [k, v] : l.databases) dbs[k] = v;
        print_json(nlohmann::ordered_json{{"schema", "envctl.env/v1"},
                                          {"project", ctx.settings().project},
                                          {"variables", vars},
                                          {"endpoints", endpoints},
                                          {"databases", dbs}});
        ctx.json_written = true;
        return ExitCode::ok;
    }
    const bool sh = args.format == "sh";
    auto line = [sh](const std::string& key, const std::string& value) {
        return (sh ? "export " + key + "=" + shell_quoted(value) : key + "=" + value) + "\n";
    };
    std::string out = line("ENVCTL_PROJECT", ctx.settings().project);
    for (const auto& [k, v] : l.variables) out += line(k, v);
    for (const auto& [service, endpoint] : l.endpoints) out += line(upper_name(service) + "_ENDPOINT", endpoint);
    for (const auto& [k, v] : l.secret_databases) out += line(k, v);
    write_secret_output(out);
    return ExitCode::ok;
}

}  // namespace

void register_env(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<EnvArgs>();
    auto* sub = app.add_subcommand("env", "Print what a job needs to reach the environment: ports, endpoints, database URLs");
    sub->add_option("--format", args->format, "sh (default: export lines with passwords), dotenv (the same as KEY=VALUE), "
                                              "json (envctl.env/v1, no passwords)")
        ->check(CLI::IsMember({"sh", "dotenv", "json"}));
    sub->callback([&ctx, args] { ctx.action = [&ctx, args] { return run(ctx, *args); }; });
}

}  // namespace envctl::cli
