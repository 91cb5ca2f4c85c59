#include "envctl/health/probe_factory.hpp"

#include "envctl/core/error.hpp"
#include "envctl/settings/connect_host.hpp"

namespace envctl::health {

Duration ready_budget(const descriptors::ServiceDescriptor& service, const settings::Settings& settings) {
    return service.ready_budget.value_or(settings.ready_budget);
}

Probe make_probe(const descriptors::ServiceDescriptor& service, const settings::Settings& settings,
                 const ExecFunction& exec) {
    const descriptors::Probe& p = service.probe;
    const settings::Variables& vars = settings.vars;
    std::string host = settings::connect_host(settings.bind_address);
    switch (p.kind) {
    case descriptors::ProbeKind::http:
    case descriptors::ProbeKind::https: {
        HttpTarget t;
        t.https = p.kind == descriptors::ProbeKind::https;
        t.host = host;
        t.port = vars.port(p.port_variable);
        t.path = p.path;
        t.expect_status = p.expect_status;
        return http_probe(t);
    }
    case descriptors::ProbeKind::tcp: return tcp_probe(host, vars.port(p.port_variable));
    case descriptors::ProbeKind::redis: return redis_probe(host, vars.port(p.port_variable));
    case descriptors::ProbeKind::postgres: {
        db::ConnectionInfo info;
        info.host = host;
        info.port = vars.port(p.port_variable);
        info.user = vars.require(p.user_variable);
        const std::string* password = vars.find(p.password_variable);
        info.password = password != nullptr ? *password : "";
        const std::string* database = vars.find(p.database_variable);
        info.database = database != nullptr && !database->empty() ? *database : info.user;
        return postgres_probe(info);
    }
    case descriptors::ProbeKind::command:
        if (!exec) throw Error(ExitCode::internal, "service " + service.name + ": a command probe needs the engine");
        if (p.command.empty()) throw usage_error("service " + service.name + ": its command probe has no command");
        return command_probe(service.name, p.command, exec);
    }
    throw Error(ExitCode::internal, "service " + service.name + ": unknown probe kind");
}

}  // namespace envctl::health
