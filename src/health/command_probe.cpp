#include <fmt/format.h>
#include <fmt/ranges.h>

#include "envctl/health/probes.hpp"
#include "envctl/util/utf8.hpp"

namespace envctl::health {

namespace {

// The last non-empty line of the command's output, bounded: what a failing healthcheck usually says.
std::string last_line(const std::string& output) {
    auto end = output.find_last_not_of(" \r\n\t");
    if (end == std::string::npos) return "";
    auto begin = output.find_last_of('\n', end);
    std::string line = output.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin == std::string::npos ? 0 : begin + 1));
    return utf8::truncate(line, 120);  // never half a character: JSON refuses it
}

}  // namespace

Probe command_probe(const std::string& service, const std::vector<std::string>& argv, ExecFunction exec) {
    std::string target = fmt::format("exec {}: {}", service, fmt::join(argv, " "));
    return Probe{target, [service, argv, exec, target](const AttemptContext& ctx) {
                     ProbeResult r;
                     r.target = target;
                     if (ctx.cancelled()) {
                         r.detail = "cancelled";
                         return r;
                     }
                     engine::ExecResult res = exec(service, argv, std::chrono::steady_clock::now() + ctx.timeout);
                     if (res.timed_out) {
                         r.detail = timeout_detail(ctx.timeout);
                         return r;
                     }
                     r.detail = fmt::format("exit {}", res.exit_code);
                     r.excerpt = last_line(res.output);
                     if (res.exit_code == 0) r.outcome = Outcome::ok;
                     // 126: found but not executable; 127: not found (podman exec's and the shell's convention).
                     else if (res.exit_code == 126 || res.exit_code == 127) r.outcome = Outcome::failed;
                     return r;
                 }};
}

}  // namespace envctl::health
