// The http/https probe: one request through envctl::http (libcurl) per attempt.
#include <algorithm>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "envctl/health/probes.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/util/utf8.hpp"

namespace envctl::health {

namespace {

constexpr std::size_t kExcerptBytes = 120;     // kept for the report
constexpr std::size_t kBodyLimit = 64 * 1024;  // read at most this much of a body, then stop

// The body's first bytes on one line: control characters become spaces, runs of spaces collapse.
std::string one_line(const std::string& body) {
    std::string out;
    for (unsigned char c : body) {
        char ch = (std::iscntrl(c) != 0) ? ' ' : static_cast<char>(c);
        if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
        out.push_back(ch);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

ProbeResult attempt(const HttpTarget& target, const std::string& url, const AttemptContext& ctx) {
    ProbeResult result;
    result.target = url;
    http::Request request;
    request.url = url;
    request.timeout = ctx.timeout;
    request.verify_tls = false;  // https targets are the emulators', whose certificates are self-signed
    request.user_agent = "envctl-probe";
    request.keep_bytes = kExcerptBytes;
    request.read_limit = kBodyLimit;
    request.cancelled = [&ctx] { return ctx.cancelled(); };
    http::Response response = http::perform(request);
    if (!response.has_status()) {
        result.detail = response.failure == http::Failure::timed_out ? timeout_detail(ctx.timeout) : response.error;
        return result;
    }
    result.http_status = static_cast<int>(response.status);
    result.excerpt = utf8::truncate(one_line(response.body), kExcerptBytes);  // the body was cut at a byte count
    result.detail = fmt::format("HTTP {}", response.status);
    bool expected = std::find(target.expect_status.begin(), target.expect_status.end(), response.status) !=
                    target.expect_status.end();
    result.outcome = expected ? Outcome::ok : Outcome::not_ready;
    return result;
}

}  // namespace

std::string HttpTarget::url() const {
    bool ipv6 = host.find(':') != std::string::npos;
    std::string p = path.empty() || path.front() != '/' ? "/" + path : path;
    return fmt::format("{}://{}{}{}:{}{}", https ? "https" : "http", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port, p);
}

Probe http_probe(const HttpTarget& target) {
    std::string url = target.url();
    return Probe{url, [target, url](const AttemptContext& ctx) { return attempt(target, url, ctx); }};
}

}  // namespace envctl::health
