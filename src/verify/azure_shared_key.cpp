// Azure Storage Shared Key: the string-to-sign of "Authorize with Shared Key" (Blob, Queue and File services) and
// its HMAC-SHA256 under the account key.
#include <algorithm>
#include <ctime>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "envctl/util/hash.hpp"
#include "envctl/util/text.hpp"
#include "envctl/verify/azure_auth.hpp"

namespace envctl::verify::azure {
namespace {

std::string header(const SharedKeyRequest& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (text::ascii_lower(n) == text::ascii_lower(name)) return v;
    return "";
}

}  // namespace

std::string http_date(std::chrono::system_clock::time_point at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                       tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string shared_key_string_to_sign(const SharedKeyRequest& r) {
    std::string length = header(r, "Content-Length");
    if (length == "0") length.clear();  // "empty string when zero" (version 2015-02-21 and later)
    std::string out = r.method + "\n";
    for (const char* name : {"Content-Encoding", "Content-Language"}) out += header(r, name) + "\n";
    out += length + "\n";
    for (const char* name : {"Content-MD5", "Content-Type", "Date", "If-Modified-Since", "If-Match", "If-None-Match",
                             "If-Unmodified-Since", "Range"})
        out += header(r, name) + "\n";
    // CanonicalizedHeaders: every x-ms- header, lower-case name, sorted, "name:value\n".
    std::map<std::string, std::string> ms;
    for (const auto& [name, value] : r.headers)
        if (text::ascii_lower(name).starts_with("x-ms-")) ms[text::ascii_lower(name)] = text::squeeze_whitespace(value);
    for (const auto& [name, value] : ms) out += name + ":" + value + "\n";
    // CanonicalizedResource: /account/path, then "\nname:value" per query parameter (lower-case names, sorted; the
    // values of a repeated name sorted and joined with commas).
    out += "/" + r.account + (r.path.empty() ? "/" : r.path);
    std::map<std::string, std::vector<std::string>> query;
    for (const auto& [name, value] : r.query) query[text::ascii_lower(name)].push_back(value);
    for (auto& [name, values] : query) {
        std::sort(values.begin(), values.end());
        out += fmt::format("\n{}:{}", name, fmt::join(values, ","));
    }
    return out;
}

std::string shared_key_authorization(const SharedKeyRequest& r, const std::string& key_base64) {
    const auto key = hash::base64_decode(key_base64);
    if (!key) throw std::runtime_error(fmt::format("the account key of {} is not Base64", r.account));
    return fmt::format("SharedKey {}:{}", r.account, hash::base64_encode(hash::hmac_sha256(*key, shared_key_string_to_sign(r))));
}

}  // namespace envctl::verify::azure
