#include "envctl/engine/engine.hpp"

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

}  // namespace envctl::engine
