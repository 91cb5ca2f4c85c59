#include "envctl/preflight/known_breakages.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <vector>

#include <fmt/format.h>

namespace envctl::preflight {
namespace {

constexpr const char* kConfDir = "/etc/containers/containers.conf.d";

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// The hard limit of `resource`, capped at `cap` (podman's own default is far above what these machines allow).
unsigned long long hard_limit(int resource, unsigned long long cap) {
    rlimit r{};
    if (::getrlimit(resource, &r) != 0 || r.rlim_max == RLIM_INFINITY) return cap;
    return std::min<unsigned long long>(r.rlim_max, cap);
}

// The word just before `at` in `text` (an image reference before ": image not known"), without quotes.
std::string word_before(const std::string& text, std::size_t at) {
    std::size_t start = at;
    while (start > 0) {
        char c = text[start - 1];
        if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '(' || c == '{' || c == ',') break;
        --start;
    }
    return text.substr(start, at - start);
}

std::string word_after(const std::string& text, std::size_t at) {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    std::size_t end = at;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '"' && text[end] != ',')
        ++end;
    return text.substr(at, end - at);
}

// The image an "image not known" / "No such image" error names, or "".
std::string unknown_image(const std::string& text) {
    for (auto at = text.find(": image not known"); at != std::string::npos; at = text.find(": image not known", at + 1)) {
        auto name = word_before(text, at);
        if (!name.empty()) return name;
    }
    auto at = lower(text).find("no such image:");
    if (at != std::string::npos) return word_after(text, at + std::string("no such image:").size());
    return "";
}

std::optional<Diagnosis> iptables(const std::string&, const std::string& low) {
    bool missing_iptables = has(low, "iptables") && (has(low, "not found") || has(low, "no such file"));
    // netavark 1.4 says only this when it cannot exec iptables (reproduced with a PATH without /usr/sbin).
    bool netavark_enoent = has(low, "netavark") && has(low, "no such file or directory (os error 2)");
    if (!missing_iptables && !netavark_enoent) return std::nullopt;
    return Diagnosis{"netavark cannot run iptables, which it needs for bridge networks and published ports",
                     "apt-get install iptables (netavark runs it to set up every bridge network and published port; "
                     "when it is installed, put /usr/sbin on PATH)"};
}

std::optional<Diagnosis> crun_hybrid(const std::string&, const std::string& low) {
    if (!has(low, "cgroups in hybrid mode not supported")) return std::nullopt;
    return Diagnosis{"crun cannot run containers on hybrid (v1 + v2) cgroups",
                     fmt::format("apt-get install runc && mkdir -p {0} && printf '[engine]\\nruntime = \"runc\"\\n' > "
                                 "{0}/51-envctl-runtime.conf (or run scripts/setup, which writes it: runc works on these cgroups)",
                                 kConfDir)};
}

std::optional<Diagnosis> rlimit_above_hard(const std::string&, const std::string& low) {
    // runc: "error setting rlimit type 7: operation not permitted"; crun: "setrlimit `RLIMIT_NOFILE`: Operation not permitted".
    bool runc = has(low, "error setting rlimit");
    bool crun = has(low, "setrlimit") && has(low, "rlimit_");
    if (!runc && !crun) return std::nullopt;
    auto nofile = hard_limit(RLIMIT_NOFILE, 20000);
    auto nproc = hard_limit(RLIMIT_NPROC, 4096);
    return Diagnosis{"podman's default open-files or processes limit is above this machine's hard limit (ulimit -Hn, ulimit -Hu)",
                     fmt::format("mkdir -p {0} && printf '[containers]\\ndefault_ulimits = [\"nofile={1}:{1}\", \"nproc={2}:{2}\"]\\n' > "
                                 "{0}/52-envctl-ulimits.conf (or run scripts/setup, which writes it: limits at or under the hard limits)",
                                 kConfDir, nofile, nproc)};
}

std::optional<Diagnosis> pause_binary(const std::string&, const std::string& low) {
    // podman 4.3, first pod without its pause image: "building local pause image: finding pause binary: exec:
    // \"catatonit\": executable file not found in $PATH".
    if (!has(low, "finding pause binary")) return std::nullopt;
    return Diagnosis{"podman cannot build its pod infra (pause) image: catatonit is not installed",
                     "apt-get install catatonit (podman builds the pause image of every pod from it, once; "
                     "podman kube play, --engine kube, makes every service a pod; or run scripts/setup)"};
}

std::optional<Diagnosis> no_space(const std::string&, const std::string& low) {
    if (!has(low, "no space left on device")) return std::nullopt;
    return Diagnosis{"a file system podman writes to is full (its storage under /var/lib/containers, or $TMPDIR)",
                     "podman system df (see what podman holds), then podman image prune, or free space on the file "
                     "system the error names (df -h /var/lib/containers ${TMPDIR:-/var/tmp})"};
}

std::optional<Diagnosis> image_not_known(const std::string& text, const std::string& low) {
    if (!has(low, "image not known") && !has(low, "no such image")) return std::nullopt;
    std::string image = unknown_image(text);
    const std::string local = "localhost/envctl/";
    if (image.rfind(local, 0) == 0) {
        auto name = image.substr(local.size());
        name = name.substr(0, name.find(':'));
        return Diagnosis{"image " + image + " is not on this machine (envctl builds it locally)", "envctl images build " + name};
    }
    if (image.rfind("localhost/", 0) == 0)
        return Diagnosis{"image " + image + " is not on this machine",
                         "build or load " + image + " on this machine (images under localhost/ are never pulled)"};
    return Diagnosis{(image.empty() ? std::string("an image") : "image " + image) + " is not on this machine (podman's API never pulls)",
                     "envctl images pull (or podman pull " + (image.empty() ? std::string("IMAGE") : image) + ")"};
}

std::optional<Diagnosis> rootless_low_port(const std::string& text, const std::string& low) {
    const std::string marker = "cannot expose privileged port ";
    auto at = low.find(marker);
    if (at == std::string::npos) return std::nullopt;
    std::string port = word_after(text, at + marker.size());
    while (!port.empty() && !std::isdigit(static_cast<unsigned char>(port.back()))) port.pop_back();
    if (port.empty()) port = "PORT";
    return Diagnosis{"rootless podman cannot publish port " + port + " (below net.ipv4.ip_unprivileged_port_start)",
                     "sysctl -w net.ipv4.ip_unprivileged_port_start=" + port +
                         " (as root; add it to /etc/sysctl.conf to keep it), or set the port's variable in "
                         ".env.development to a port of 1024 or above"};
}

}  // namespace

std::optional<Diagnosis> diagnose(const std::string& error_text) {
    using Matcher = std::function<std::optional<Diagnosis>(const std::string&, const std::string&)>;
    static const std::vector<Matcher> matchers{iptables, crun_hybrid, rlimit_above_hard, no_space, rootless_low_port,
                                               pause_binary, image_not_known};
    const std::string low = lower(error_text);
    for (const auto& match : matchers)
        if (auto d = match(error_text, low)) return d;
    return std::nullopt;
}

std::string known_fix(const std::string& error_text) {
    auto d = diagnose(error_text);
    return d ? d->fix : std::string();
}

}  // namespace envctl::preflight
