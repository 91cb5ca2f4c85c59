#include "envctl/engine/engine.hpp"

#include "envctl/core/error.hpp"

namespace envctl::engine {

std::string to_string(ContainerState s) {
    switch (s) {
    case ContainerState::missing: return "missing";
    case ContainerState::created: return "created";
    case ContainerState::running: return "running";
    case ContainerState::exited: return "exited";
    case ContainerState::paused: return "paused";
    case ContainerState::unknown: return "unknown";
    }
    return "unknown";
}

int Engine::stream_logs(const std::string& service, const LogOptions& options,
                        const std::function<void(const std::string&)>& on_line, Deadline deadline) {
    if (!options.since.empty() || options.timestamps)
        throw Error(ExitCode::usage, "the " + name() + " engine cannot select log lines by time or show their timestamps");
    if (options.follow) return follow_logs(service, options.tail, on_line);
    for (const auto& line : log_tail(service, options.tail, deadline)) on_line(line);
    return 0;
}

}  // namespace envctl::engine
