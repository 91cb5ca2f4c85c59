// verify's `http` step: one request to the service's published port, the status and JSON-pointer expectations
// checked, values captured for later steps (a captured secret-named value is redacted from then on).
#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/settings/connect_host.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/utf8.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::verify {
namespace {

// A JSON value as the descriptor writes it: strings bare, everything else as JSON text.
std::string as_text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string excerpt(const std::string& body) { return utf8::truncate(body, 200); }

std::string expected_summary(const descriptors::VerifyStep& step) {
    const auto count = step.expect_json.size() + step.expect_json_match.size();
    if (count == 0) return "";
    if (count > 1) return ", every pointer as expected";
    return fmt::format(", {} as expected", step.expect_json.empty() ? step.expect_json_match[0].first : step.expect_json[0].first);
}

}  // namespace

Outcome run_http_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    http::Request request;
    request.method = step.method;
    const std::string bare_path = expand(step.path, env);
    std::string path = bare_path;
    for (const auto& [name, value] : step.query)
        path += fmt::format("{}{}={}", path.find('?') == std::string::npos ? '?' : '&', http::url_encode(name),
                            http::url_encode(expand(value, env)));
    request.url = fmt::format("{}://{}{}", step.https ? "https" : "http",
                              settings::host_port(env.host, std::to_string(published_port(step, env))), path);
    request.verify_tls = false;  // the emulators' certificates are self-signed
    for (const auto& [name, value] : step.headers) request.headers.emplace_back(name, expand(value, env));
    if (!step.basic_user.empty()) {
        const auto* password = env.settings ? env.settings->vars.find(step.basic_password_variable) : nullptr;
        if (!password) return {false, step.basic_password_variable + " is not set"};
        request.basic_user = expand(step.basic_user, env);
        request.basic_password = *password;
    }
    request.body = expand(step.body, env);
    request.content_type = step.content_type;
    request.timeout = std::max<Duration>(std::chrono::milliseconds(1), std::chrono::duration_cast<Duration>(remaining(deadline)));
    const auto response = http::perform(request);
    const std::string what = fmt::format("{} {}", step.method, bare_path);
    if (!response.has_status()) return {false, fmt::format("{}: {}", what, response.error)};
    if (std::find(step.expect_status.begin(), step.expect_status.end(), response.status) == step.expect_status.end())
        return {false, fmt::format("{}: HTTP {} (expected {}): {}", what, response.status, fmt::join(step.expect_status, " or "),
                                   excerpt(response.body))};
    if (step.expect_json.empty() && step.expect_json_match.empty() && step.capture.empty()) return {true, fmt::format("{}: HTTP {}", what, response.status)};
    const auto doc = nlohmann::json::parse(response.body, nullptr, false);
    if (doc.is_discarded()) return {false, fmt::format("{}: HTTP {} but the body is not JSON: {}", what, response.status, excerpt(response.body))};
    for (const auto& [pointer, expected] : step.expect_json) {
        const nlohmann::json::json_pointer p(pointer);
        if (!doc.contains(p)) return {false, fmt::format("{}: the response has no {}", what, pointer)};
        const std::string want = expand(expected, env);
        if (as_text(doc.at(p)) != want)
            return {false, fmt::format("{}: {} is {} (expected {})", what, pointer, excerpt(as_text(doc.at(p))), want)};
    }
    for (const auto& [pointer, pattern] : step.expect_json_match) {
        const nlohmann::json::json_pointer p(pointer);
        if (!doc.contains(p)) return {false, fmt::format("{}: the response has no {}", what, pointer)};
        const std::string want = expand(pattern, env);
        if (!std::regex_search(as_text(doc.at(p)), std::regex(want)))
            return {false, fmt::format("{}: {} is {} (expected to match {})", what, pointer, excerpt(as_text(doc.at(p))), want)};
    }
    for (const auto& [name, pointer] : step.capture) {
        const nlohmann::json::json_pointer p(pointer);
        if (!doc.contains(p)) return {false, fmt::format("{}: nothing to capture as {} at {}", what, name, pointer)};
        env.values[name] = as_text(doc.at(p));
        if (Redactor::is_secret_name(name)) Redactor::global().add_secret(env.values[name]);
    }
    return {true, fmt::format("{}: HTTP {}{}", what, response.status,
                              expected_summary(step))};
}

}  // namespace envctl::verify
