// The http/https probe: the one place envctl uses libcurl.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>

#include <curl/curl.h>
#include <fmt/format.h>

#include "envctl/health/probes.hpp"

namespace envctl::health {

namespace {

constexpr std::size_t kExcerptBytes = 120;     // kept for the report
constexpr std::size_t kBodyLimit = 64 * 1024;  // read at most this much of a body, then stop

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    std::string body;
    std::size_t received = 0;
    const AttemptContext* ctx = nullptr;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    if (t->body.size() < kExcerptBytes) t->body.append(data, std::min(n, kExcerptBytes - t->body.size()));
    t->received += n;
    return t->received > kBodyLimit ? 0 : n;  // 0 ends the transfer (CURLE_WRITE_ERROR): we have the status
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<Transfer*>(user)->ctx->cancelled() ? 1 : 0;  // non-zero aborts
}

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

std::string error_detail(CURLcode code, const char* message, long os_errno, Duration timeout) {
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return timeout_detail(timeout);
    case CURLE_GOT_NOTHING: return "empty reply (connection closed)";
    case CURLE_PARTIAL_FILE: return "connection closed mid-reply";
    case CURLE_RECV_ERROR: return "connection reset";
    case CURLE_SEND_ERROR: return "connection reset while sending";
    case CURLE_ABORTED_BY_CALLBACK: return "cancelled";
    case CURLE_COULDNT_CONNECT:
        if (os_errno == ECONNREFUSED) return "connection refused";
        if (os_errno != 0) return "could not connect: " + std::string(std::strerror(static_cast<int>(os_errno)));
        break;
    default: break;
    }
    std::string m = (message != nullptr && *message != '\0') ? message : curl_easy_strerror(code);
    return code == CURLE_SSL_CONNECT_ERROR ? "TLS handshake failed: " + m : m;
}

ProbeResult attempt(const HttpTarget& target, const std::string& url, const AttemptContext& ctx) {
    global_init_once();
    ProbeResult result;
    result.target = url;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
        result.detail = "libcurl could not start a transfer";
        return result;
    }
    Transfer transfer;
    transfer.ctx = &ctx;
    char error[CURL_ERROR_SIZE] = {0};
    long timeout_ms = std::max<long>(1, static_cast<long>(ctx.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "envctl-probe");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    if (target.https) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);  // the emulators' certificates are self-signed
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    curl_easy_cleanup(curl);

    bool have_status = status > 0 && (code == CURLE_OK || code == CURLE_WRITE_ERROR);
    if (!have_status) {
        result.detail = error_detail(code, error, os_errno, ctx.timeout);
        return result;
    }
    result.http_status = static_cast<int>(status);
    result.excerpt = one_line(transfer.body);
    result.detail = fmt::format("HTTP {}", status);
    bool expected = std::find(target.expect_status.begin(), target.expect_status.end(), status) !=
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
