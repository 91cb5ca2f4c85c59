#include "envctl/cli/runtime.hpp"

#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/engine/factory.hpp"
#include "envctl/health/probe_factory.hpp"
#include "envctl/migrations/runner.hpp"
#include "envctl/migrations/status.hpp"
#include "envctl/orchestration/up.hpp"
#include "envctl/preflight/container_check.hpp"
#include "envctl/preflight/ports.hpp"
#include "envctl/util/redact_json.hpp"

namespace envctl::cli {

std::vector<std::string> select_services(Context& ctx, const std::vector<std::string>& named, bool with_dependencies) {
    const auto& stack = ctx.stack();
    std::vector<std::string> chosen;
    if (named.empty()) {
        chosen = stack.profile_services(ctx.settings().profile);
    } else {
        for (const auto& n : named) {
            (void)stack.get(n);  // names an unknown service clearly
            if (std::find(chosen.begin(), chosen.end(), n) == chosen.end()) chosen.push_back(n);
        }
    }
    return with_dependencies ? stack.with_dependencies(chosen) : chosen;
}

std::unique_ptr<engine::Engine> make_engine(Context& ctx, const std::vector<std::string>& services) {
    return engine::make(ctx.settings(), ctx.stack(), services);
}

std::function<health::Probe(const descriptors::ServiceDescriptor&)> probe_factory(Context& ctx, engine::Engine& engine) {
    const auto& settings = ctx.settings();
    health::ExecFunction exec = [&engine](const std::string& service, const std::vector<std::string>& argv, Deadline d) {
        return engine.exec(service, argv, d);
    };
    return [&settings, exec](const descriptors::ServiceDescriptor& d) { return health::make_probe(d, settings, exec); };
}

std::function<std::vector<migrations::DatabaseStatus>()> database_status(Context& ctx) {
    const auto& settings = ctx.settings();
    if (settings.databases.empty()) return {};
    return [&settings] { return migrations::status(settings); };
}

std::function<void(Deadline)> migrator(Context& ctx, const std::vector<std::string>& services) {
    const auto& settings = ctx.settings();
    if (settings.databases.empty() ||
        std::find(services.begin(), services.end(), orchestration::kMigratedService) == services.end())
        return {};
    return [&settings](Deadline deadline) {
        auto report = migrations::run_all(settings, deadline);
        if (report.ok()) return;
        std::string why;
        for (const auto& db : report.databases) {
            if (db.ok()) continue;
            if (!why.empty()) why += "; ";
            if (db.failure) why += db.name + ": " + migrations::describe(*db.failure);
            else if (!db.error.empty()) why += db.name + ": " + db.error;
            else why += db.name + ": not compliant: " + fmt::format("{}", fmt::join(db.differences, "; "));
        }
        throw Error(ExitCode::migration, "migration failed: " + why);
    };
}

void preflight(Context& ctx, engine::Engine& engine, const std::vector<std::string>& services) {
    const auto& settings = ctx.settings();
    const auto& stack = ctx.stack();
    std::vector<engine::ContainerInfo> containers;
    try {
        containers = engine.list(Clock::now() + std::chrono::seconds(30));
    } catch (const Error& e) {
        throw Error(ExitCode::preflight, std::string("the engine does not answer: ") + e.what() + " (run `envctl doctor`)");
    }
    std::map<std::string, bool> running;
    for (const auto& c : containers) running[c.service] = c.state == engine::ContainerState::running;
    for (const auto& name : services) {
        if (running[name]) continue;  // this project's own container holds its ports
        for (const auto& port : stack.get(name).ports) {
            int number = settings.vars.port(port.variable);
            if (preflight::port_free(settings.bind_address, number)) continue;
            auto holder = preflight::find_port_holder(number);
            std::string who = holder ? holder->describe(number) : "port " + std::to_string(number) + " is in use";
            const bool picked = settings.vars.origin(port.variable).kind == settings::Origin::Kind::auto_port;
            const std::string fix = picked ? "Stop that program, or run `envctl down` to release this project's "
                                             "ENVCTL_PORTS=auto ports (the next command picks free ones)"
                                           : fmt::format("Stop that program, or set {} to a free port in {}",
                                                         port.variable, settings.env_file.string());
            throw Error(ExitCode::preflight, fmt::format("{} needs {}={} on {}: {}. {}", name, port.variable, number,
                                                         settings.bind_address, who, fix));
        }
    }
    preflight::require_container_network(settings, containers);  // bridge network, published port, DNS: as doctor
}

namespace {

void write_stdout(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

}  // namespace

void print_stdout(const std::string& text) { write_stdout(Redactor::global().redact(text)); }

void print_json(const nlohmann::json& doc) { write_stdout(redacted(doc).dump(2) + "\n"); }

void print_json(const nlohmann::ordered_json& doc) { write_stdout(redacted(doc).dump(2) + "\n"); }

}  // namespace envctl::cli
