#pragma once
// Engine faults: failures of the container engine itself that no retry can fix, recognised in the message of a
// failed create or start (the REST API's, podman's or podman-compose's): network setup (netavark, iptables), the
// OCI runtime, an image the engine does not know even after envctl pulled, or a request the engine refused
// (HTTP 4xx). `up` does not retry them: exit 7, with doctor's diagnosis when it has one.

#include <optional>
#include <string>

namespace envctl::orchestration {

// What happened, in a few words ("network setup failed", "the OCI runtime failed", ...), or nullopt when the
// message shows no engine fault (then the failure is retried as before).
std::optional<std::string> engine_fault(const std::string& message);

}  // namespace envctl::orchestration
