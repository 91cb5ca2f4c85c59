#include "verify_parser.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "envctl/util/redactor.hpp"
#include "value_rules.hpp"

namespace envctl::descriptors {

std::string to_string(StepKind k) {
    switch (k) {
        case StepKind::http: return "http";
        case StepKind::sql: return "sql";
        case StepKind::redis: return "redis";
        case StepKind::connect: return "connect";
        case StepKind::command: return "command";
        case StepKind::amqp: return "amqp";
        case StepKind::azure_blob: return "azure_blob";
        case StepKind::cosmos: return "cosmos";
    }
    return "http";
}

const std::vector<std::string>& verify_categories() {
    static const std::vector<std::string> all{"environment", "migrations", "dapr", "azure", "security", "observability"};
    return all;
}

namespace detail {
namespace {

std::optional<StepKind> parse_kind(const std::string& s) {
    for (auto k : {StepKind::http, StepKind::sql, StepKind::redis, StepKind::connect, StepKind::command, StepKind::amqp,
                   StepKind::azure_blob, StepKind::cosmos})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

}  // namespace

void check(const Reader& r, const YAML::Node& node, const std::string& path, const std::string& problem) {
    if (!problem.empty()) r.fail(node, path, problem);
}

// Every ${NAME} in `text` names a variable; those not from the settings must be VERIFY_ID or captured earlier.
void check_references(const Reader& r, const YAML::Node& node, const std::string& path, const std::string& text) {
    static const std::regex reference(R"(\$\{([^}]*)\})");
    for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it)
        check(r, node, path, check_variable_name((*it)[1].str()));
}

namespace {

// A header name in capitals, '-' as '_' (as a variable name would be).
std::string upper_name(const std::string& name) {
    std::string upper;
    for (char c : name) upper += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper;
}

// A header carrying a credential (Authorization, or a name saying token/key/secret/password) holds only ${VAR}
// references after an optional scheme word ("Bearer ${TOKEN}").
void check_secret_header(const Reader& r, const YAML::Node& node, const std::string& path, const std::string& name,
                         const std::string& value) {
    const std::string upper = upper_name(name);
    if (upper != "AUTHORIZATION" && !Redactor::is_secret_name(upper)) return;
    static const std::regex shape(R"(([A-Za-z-]+ )?(\$\{[A-Z][A-Z0-9_]*\})+)");
    if (!std::regex_match(value, shape))
        r.fail(node, path,
               "a credential is given only as a ${VARIABLE} reference (after an optional scheme such as `Bearer `), "
               "never literally");
}

std::vector<std::pair<std::string, std::string>> text_map(const Reader& r, const YAML::Node& node, const std::string& path) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : r.entries(node, path)) {
        const std::string at = child(path, key);
        if (!value.IsScalar()) r.fail(value, at, "expected a value");
        out.emplace_back(key, value.Scalar());
    }
    return out;
}

std::string port_of(const Reader& r, const YAML::Node& node, const std::string& path, const std::vector<Port>& ports) {
    if (node["port_variable"]) {
        const std::string at = child(path, "port_variable");
        auto variable = r.text(node["port_variable"], at);
        if (std::none_of(ports.begin(), ports.end(), [&](const Port& p) { return p.variable == variable; }))
            r.fail(node["port_variable"], at, fmt::format("{} is not among this service's ports", variable));
        return variable;
    }
    for (const auto& p : ports)
        if (p.protocol == "tcp") return p.variable;
    r.fail(node, path, "the service publishes no tcp port: this step cannot reach it (use a `command` step)");
}

void parse_http(const Reader& r, const YAML::Node& n, const std::string& at, VerifyStep& s) {
    if (n["https"]) s.https = r.boolean(n["https"], child(at, "https"));
    if (n["method"]) {
        s.method = r.text(n["method"], child(at, "method"));
        static const std::set<std::string> methods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
        if (!methods.count(s.method)) r.fail(n["method"], child(at, "method"), "one of GET, HEAD, POST, PUT, PATCH, DELETE");
    }
    if (n["path"]) {
        s.path = r.text(n["path"], child(at, "path"));
        if (!s.path.starts_with("/")) r.fail(n["path"], child(at, "path"), "an HTTP path starts with '/'");
        check_references(r, n["path"], child(at, "path"), s.path);
    }
    if (n["query"]) {
        s.query = text_map(r, n["query"], child(at, "query"));
        for (const auto& [name, value] : s.query)
            check_references(r, n["query"][name], child(child(at, "query"), name), value);
    }
    if (n["basic_auth"]) {
        const auto a = n["basic_auth"];
        const auto where = child(at, "basic_auth");
        r.require_map(a, where, {"user", "password_variable"});
        if (!a["user"] || !a["password_variable"]) r.fail(a, where, "basic_auth needs `user` and `password_variable`");
        s.basic_user = r.text(a["user"], child(where, "user"));
        check_references(r, a["user"], child(where, "user"), s.basic_user);
        s.basic_password_variable = r.text(a["password_variable"], child(where, "password_variable"));
        check(r, a["password_variable"], child(where, "password_variable"), check_variable_name(s.basic_password_variable));
    }
    if (n["headers"]) {
        s.headers = text_map(r, n["headers"], child(at, "headers"));
        for (const auto& [name, value] : s.headers) {
            const auto where = child(child(at, "headers"), name);
            check_secret_header(r, n["headers"][name], where, name, value);
            check_references(r, n["headers"][name], where, value);
            if (!s.basic_user.empty() && upper_name(name) == "AUTHORIZATION")
                r.fail(n["basic_auth"], child(at, "basic_auth"), "either basic_auth or an Authorization header, not both");
        }
    }
    if (n["body"]) {
        s.body = n["body"].IsScalar() ? n["body"].Scalar() : "";
        if (!n["body"].IsScalar()) r.fail(n["body"], child(at, "body"), "expected the body as text (a block scalar `|`)");
        check_references(r, n["body"], child(at, "body"), s.body);
    }
    if (n["content_type"]) s.content_type = r.text(n["content_type"], child(at, "content_type"));
    if (n["expect_status"]) {
        const auto list = n["expect_status"];
        const auto path = child(at, "expect_status");
        r.require_sequence(list, path);
        s.expect_status.clear();
        for (std::size_t i = 0; i < list.size(); ++i) s.expect_status.push_back(r.integer(list[i], item(path, i), 100, 599));
        if (s.expect_status.empty()) r.fail(list, path, "must not be empty");
    }
    auto pointers = [&](const char* key) {
        auto out = text_map(r, n[key], child(at, key));
        return out;
    };
    if (n["expect_json"]) {
        s.expect_json = pointers("expect_json");
        for (const auto& [pointer, value] : s.expect_json)
            if (!pointer.empty() && !pointer.starts_with("/"))
                r.fail(n["expect_json"][pointer], child(child(at, "expect_json"), pointer),
                       "a JSON pointer starts with '/' (RFC 6901), such as /status");
    }
    if (n["expect_json_match"]) {
        s.expect_json_match = pointers("expect_json_match");
        for (const auto& [pointer, pattern] : s.expect_json_match) {
            const auto where = child(child(at, "expect_json_match"), pointer);
            if (!pointer.empty() && !pointer.starts_with("/"))
                r.fail(n["expect_json_match"][pointer], where, "a JSON pointer starts with '/' (RFC 6901), such as /status");
            check_references(r, n["expect_json_match"][pointer], where, pattern);
            try {
                static const std::regex reference(R"(\$\{[^}]*\})");
                std::regex(std::regex_replace(pattern, reference, "x"));
            } catch (const std::regex_error& e) {
                r.fail(n["expect_json_match"][pointer], where, fmt::format("not a regular expression (ECMAScript): {}", e.what()));
            }
        }
    }
    if (n["capture"]) {
        s.capture = pointers("capture");
        for (const auto& [name, pointer] : s.capture) {
            const auto where = child(child(at, "capture"), name);
            check(r, n["capture"][name], where, check_variable_name(name));
            if (!pointer.empty() && !pointer.starts_with("/"))
                r.fail(n["capture"][name], where, "a JSON pointer starts with '/' (RFC 6901), such as /id");
        }
    }
}

void parse_sql(const Reader& r, const YAML::Node& n, const std::string& at, VerifyStep& s) {
    for (const char* required : {"user", "password_variable", "database", "statement"})
        if (!n[required])
            r.fail(n, at, fmt::format("a sql step needs `{}` (user, password_variable, database, statement)", required));
    s.user = r.text(n["user"], child(at, "user"));
    check_references(r, n["user"], child(at, "user"), s.user);
    s.password_variable = r.text(n["password_variable"], child(at, "password_variable"));
    check(r, n["password_variable"], child(at, "password_variable"), check_variable_name(s.password_variable));
    s.database = r.text(n["database"], child(at, "database"));
    check_references(r, n["database"], child(at, "database"), s.database);
    s.statement = r.text(n["statement"], child(at, "statement"));
    check_references(r, n["statement"], child(at, "statement"), s.statement);
    if (n["expect_rows"] && n["expect_sqlstate"])
        r.fail(n["expect_sqlstate"], child(at, "expect_sqlstate"), "either `expect_rows` or `expect_sqlstate`, not both");
    if (n["expect_rows"]) {
        const auto rows = n["expect_rows"];
        const auto path = child(at, "expect_rows");
        r.require_sequence(rows, path);
        std::vector<std::vector<std::string>> out;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            r.require_sequence(rows[i], item(path, i));
            std::vector<std::string> row;
            for (std::size_t j = 0; j < rows[i].size(); ++j) {
                const auto cell = rows[i][j];
                if (cell.IsNull()) row.push_back("~");
                else if (cell.IsScalar()) row.push_back(cell.Scalar());
                else r.fail(cell, item(item(path, i), j), "expected a value (~ for NULL)");
            }
            out.push_back(std::move(row));
        }
        s.expect_rows = std::move(out);
    }
    if (n["expect_sqlstate"]) {
        s.expect_sqlstate = r.text(n["expect_sqlstate"], child(at, "expect_sqlstate"));
        static const std::regex sqlstate("[0-9A-Z]{5}");
        if (!std::regex_match(s.expect_sqlstate, sqlstate))
            r.fail(n["expect_sqlstate"], child(at, "expect_sqlstate"), "a SQLSTATE is five digits or capitals, such as 42501");
    }
}

void parse_amqp(const Reader& r, const YAML::Node& n, const std::string& at, VerifyStep& s) {
    for (const char* required : {"queue", "key_name", "key_variable"})
        if (!n[required]) r.fail(n, at, fmt::format("an amqp step needs `{}` (queue, key_name, key_variable; auth optional)", required));
    s.queue = r.text(n["queue"], child(at, "queue"));
    check_references(r, n["queue"], child(at, "queue"), s.queue);
    s.key_name = r.text(n["key_name"], child(at, "key_name"));
    check_references(r, n["key_name"], child(at, "key_name"), s.key_name);
    s.key_variable = r.text(n["key_variable"], child(at, "key_variable"));
    check(r, n["key_variable"], child(at, "key_variable"), check_variable_name(s.key_variable));
    if (n["auth"]) {
        s.auth = r.text(n["auth"], child(at, "auth"));
        if (s.auth != "cbs" && s.auth != "plain")
            r.fail(n["auth"], child(at, "auth"), "cbs (SASL ANONYMOUS and a SAS token on $cbs, as the Service Bus SDKs) or plain (SASL PLAIN)");
    }
}

VerifyStep parse_step(const Reader& r, const YAML::Node& n, const std::string& at, const std::vector<Port>& ports) {
    r.require_map(n, at, {"kind", "port_variable", "https", "method", "path", "headers", "body", "content_type",
                          "expect_status", "expect_json", "capture", "user", "password_variable", "database",
                          "statement", "expect_rows", "expect_sqlstate", "command", "expect_reply", "service", "port",
                          "expect_exit", "expect_output", "retry_for", "query", "basic_auth", "expect_json_match",
                          "queue", "key_name", "key_variable", "auth", "action", "container", "account"});
    if (!n["kind"]) r.fail(n, at, "a step needs `kind` (http, sql, redis, connect, command, amqp, azure_blob or cosmos)");
    const auto kind = parse_kind(r.text(n["kind"], child(at, "kind")));
    if (!kind) r.fail(n["kind"], child(at, "kind"), "one of http, sql, redis, connect, command, amqp, azure_blob, cosmos");
    VerifyStep s;
    s.kind = *kind;
    s.line = r.where(n).line;
    auto only = [&](std::initializer_list<const char*> keys, std::initializer_list<StepKind> kinds, const char* which) {
        for (const char* key : keys)
            if (n[key] && std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end())
                r.fail(n[key], child(at, key), fmt::format("only {} steps take `{}`", which, key));
    };
    using K = StepKind;
    only({"https", "method", "path", "query", "basic_auth", "headers", "body", "content_type", "expect_status",
          "expect_json", "expect_json_match", "capture"},
         {K::http}, "http");
    if (n["retry_for"]) {
        s.retry_for = r.duration(n["retry_for"], child(at, "retry_for"));
        if (s.retry_for > std::chrono::minutes(1))
            r.fail(n["retry_for"], child(at, "retry_for"), "at most 1m (a category has 15s by default)");
    }
    only({"user", "password_variable", "statement", "expect_rows", "expect_sqlstate"}, {K::sql}, "sql");
    only({"database"}, {K::sql, K::cosmos}, "sql and cosmos");
    only({"action"}, {K::azure_blob, K::cosmos}, "azure_blob and cosmos");
    only({"key_variable"}, {K::amqp, K::azure_blob, K::cosmos}, "amqp, azure_blob and cosmos");
    only({"container", "account"}, {K::azure_blob}, "azure_blob");
    only({"expect_reply"}, {K::redis}, "redis");
    only({"command"}, {K::redis, K::command}, "redis and command");
    only({"service", "port"}, {K::connect}, "connect");
    only({"expect_exit", "expect_output"}, {K::command}, "command");
    only({"queue", "key_name", "auth"}, {K::amqp}, "amqp");
    only({"port_variable"}, {K::http, K::sql, K::redis, K::connect, K::amqp, K::azure_blob, K::cosmos},
         "http, sql, redis, connect, amqp, azure_blob and cosmos");

    if (s.kind == K::http || s.kind == K::sql || s.kind == K::redis || s.kind == K::amqp || s.kind == K::azure_blob ||
        s.kind == K::cosmos)
        s.port_variable = port_of(r, n, at, ports);
    switch (s.kind) {
        case K::http: parse_http(r, n, at, s); break;
        case K::sql: parse_sql(r, n, at, s); break;
        case K::azure_blob:
        case K::cosmos: parse_azure_step(r, n, at, s); break;
        case K::redis:
        case K::command:
            if (!n["command"]) r.fail(n, at, fmt::format("a {} step needs `command`", to_string(s.kind)));
            s.command = r.texts(n["command"], child(at, "command"));
            if (s.command.empty()) r.fail(n["command"], child(at, "command"), "must not be empty");
            for (std::size_t i = 0; i < s.command.size(); ++i)
                check_references(r, n["command"][i], item(child(at, "command"), i), s.command[i]);
            if (n["expect_reply"]) {
                if (!n["expect_reply"].IsScalar()) r.fail(n["expect_reply"], child(at, "expect_reply"), "expected a value");
                s.expect_reply = n["expect_reply"].Scalar();
            }
            if (n["expect_exit"]) s.expect_exit = r.integer(n["expect_exit"], child(at, "expect_exit"), 0, 255);
            if (n["expect_output"]) s.expect_output = r.text(n["expect_output"], child(at, "expect_output"));
            break;
        case K::amqp: parse_amqp(r, n, at, s); break;
        case K::connect:
            if (n["port_variable"]) {
                if (n["service"] || n["port"])
                    r.fail(n["port_variable"], child(at, "port_variable"),
                           "a connect step goes either from the host to `port_variable` or from inside the network "
                           "to `service`/`port`, not both");
                s.port_variable = port_of(r, n, at, ports);
            }
            if (n["service"]) {
                s.service = r.text(n["service"], child(at, "service"));
                check(r, n["service"], child(at, "service"), check_service_name(s.service));
                r.remember(child(at, "service"), n["service"]);
            }
            if (n["port"]) s.port = r.integer(n["port"], child(at, "port"), 1, 65535);
            break;
    }
    return s;
}

std::vector<VerifyStep> parse_steps(const Reader& r, const YAML::Node& node, const std::string& path,
                                    const std::vector<Port>& ports) {
    r.require_sequence(node, path);
    std::vector<VerifyStep> out;
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(parse_step(r, node[i], item(path, i), ports));
    return out;
}

}  // namespace

std::vector<VerifyCheck> parse_verify(const Reader& r, const YAML::Node& node, const std::string& path,
                                      const std::vector<Port>& ports) {
    r.require_sequence(node, path);
    std::vector<VerifyCheck> out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < node.size(); ++i) {
        const auto& n = node[i];
        const std::string at = item(path, i);
        r.require_map(n, at, {"name", "category", "steps", "cleanup"});
        for (const char* required : {"name", "category", "steps"})
            if (!n[required]) r.fail(n, at, fmt::format("a check needs `{}` (name, category, steps; cleanup optional)", required));
        VerifyCheck c;
        c.name = r.text(n["name"], child(at, "name"));
        if (!names.insert(c.name).second)
            r.fail(n["name"], child(at, "name"), fmt::format("another check of this service is named \"{}\"", c.name));
        c.category = r.text(n["category"], child(at, "category"));
        const auto& categories = verify_categories();
        if (std::find(categories.begin(), categories.end(), c.category) == categories.end())
            r.fail(n["category"], child(at, "category"), fmt::format("one of {}", fmt::join(categories, ", ")));
        c.steps = parse_steps(r, n["steps"], child(at, "steps"), ports);
        if (c.steps.empty()) r.fail(n["steps"], child(at, "steps"), "must not be empty");
        if (n["cleanup"]) c.cleanup = parse_steps(r, n["cleanup"], child(at, "cleanup"), ports);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace detail
}  // namespace envctl::descriptors
