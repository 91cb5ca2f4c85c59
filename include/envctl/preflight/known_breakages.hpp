#pragma once
// Known breakages of podman on machines like ours, recognised in podman's own error text (its CLI's stderr or the
// REST API's message), each with its fix as the command to run. The one place that knows them: `doctor`, up's
// network preflight and the engine's fault classification all ask here.

#include <optional>
#include <string>

namespace envctl::preflight {

struct Diagnosis {
    std::string cause;  // one line: "netavark cannot run iptables"
    std::string fix;    // the command to run first, then why: "apt-get install iptables (netavark runs ...)"
};

// The known breakage `error_text` shows, if any:
//   netavark cannot run iptables (bridge networks, published ports)      -> apt-get install iptables
//   crun on hybrid/legacy cgroups                                         -> runc as the runtime
//   an open-files (or processes) limit above the hard limit               -> default_ulimits under it
//   no space left on device                                               -> podman system df / image prune
//   an image not known                                                    -> envctl images build|pull
//   a port below 1024 when rootless                                       -> sysctl ip_unprivileged_port_start
//   no catatonit to build the pods' pause image (podman kube play)        -> apt-get install catatonit
std::optional<Diagnosis> diagnose(const std::string& error_text);

// diagnose(error_text)'s fix, or "" when the text shows no known breakage.
std::string known_fix(const std::string& error_text);

}  // namespace envctl::preflight
