// The one place envctl uses libcurl.
#include "envctl/util/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>

#include <curl/curl.h>

namespace envctl::http {
namespace {

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    const Request* request = nullptr;
    std::string body;
    std::size_t received = 0;
    bool stopped_at_limit = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    std::size_t keep = t->request->keep_bytes;
    if (t->body.size() < keep) t->body.append(data, std::min(n, keep - t->body.size()));
    t->received += n;
    if (t->request->on_piece) t->request->on_piece(std::string_view(data, n));
    if (t->request->read_limit > 0 && t->received > t->request->read_limit) {
        t->stopped_at_limit = true;
        return 0;  // ends the transfer (CURLE_WRITE_ERROR): the caller has what it needs
    }
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto& cancelled = static_cast<Transfer*>(user)->request->cancelled;
    return cancelled && cancelled() ? 1 : 0;  // non-zero aborts
}

Failure classify(CURLcode code, long os_errno) {
    switch (code) {
    case CURLE_OK: return Failure::none;
    case CURLE_OPERATION_TIMEDOUT: return Failure::timed_out;
    case CURLE_GOT_NOTHING: return Failure::empty_reply;
    case CURLE_PARTIAL_FILE: return Failure::closed_mid_reply;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR: return Failure::reset;
    case CURLE_ABORTED_BY_CALLBACK: return Failure::cancelled;
    case CURLE_SSL_CONNECT_ERROR: return Failure::tls;
    case CURLE_COULDNT_CONNECT:
        return os_errno == ECONNREFUSED || os_errno == ENOENT ? Failure::refused : Failure::connect_failed;
    default: return Failure::other;
    }
}

std::string describe(Failure failure, CURLcode code, const char* message, long os_errno, Duration timeout) {
    std::string m = (message != nullptr && *message != '\0') ? message : curl_easy_strerror(code);
    switch (failure) {
    case Failure::timed_out: return "timed out after " + format_duration(timeout);
    case Failure::empty_reply: return "empty reply (connection closed)";
    case Failure::closed_mid_reply: return "connection closed mid-reply";
    case Failure::reset: return code == CURLE_SEND_ERROR ? "connection reset while sending" : "connection reset";
    case Failure::cancelled: return "cancelled";
    case Failure::tls: return "TLS handshake failed: " + m;
    case Failure::refused: return os_errno == ENOENT ? "no such socket" : "connection refused";
    case Failure::connect_failed:
        return os_errno != 0 ? "could not connect: " + std::string(std::strerror(static_cast<int>(os_errno))) : m;
    default: return m;
    }
}

}  // namespace

Response perform(const Request& request) {
    global_init_once();
    Response response;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
        response.failure = Failure::other;
        response.error = "libcurl could not start a transfer";
        return response;
    }
    Transfer transfer;
    transfer.request = &request;
    char error[CURL_ERROR_SIZE] = {0};
    long timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));
    curl_slist* headers = nullptr;
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    if (!request.unix_socket.empty()) curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, request.unix_socket.c_str());
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    else curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    // A POST/PUT/PATCH without a body still says so (Content-Length: 0): a server may otherwise wait for one.
    const bool sends_body = !request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (sends_body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        headers = curl_slist_append(headers, request.body.empty() ? "Content-Type:"  // not curl's form default
                                                                  : ("Content-Type: " + request.content_type).c_str());
    }
    for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    if (headers != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, request.user_agent.c_str());
    if (!request.basic_user.empty()) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        curl_easy_setopt(curl, CURLOPT_USERNAME, request.basic_user.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, request.basic_password.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    if (!request.verify_tls) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);

    response.body = std::move(transfer.body);
    if (code == CURLE_WRITE_ERROR && transfer.stopped_at_limit && status > 0) code = CURLE_OK;
    response.failure = classify(code, os_errno);
    if (response.failure != Failure::none) {
        response.error = describe(response.failure, code, error, os_errno, request.timeout);
        return response;
    }
    response.status = status;
    return response;
}

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

}  // namespace envctl::http
