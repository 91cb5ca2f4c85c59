#pragma once
// Service-to-service connectivity from inside the project network: one throwaway container of the local busybox
// image (made on the spot from the host's busybox-static when absent, as doctor does) named envctl-verify-<random>
// on <project>_default tries every target at once (`nc -w 2 SERVICE PORT -e true`) and is removed afterwards,
// also when the run fails or times out (a cleanup with its own short deadline).

#include <map>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/verify/check.hpp"

namespace envctl::verify {

struct ConnectTarget {
    std::string service;
    int port = 0;
};

struct ConnectRun {
    std::map<std::string, bool> answered;  // "service:port" -> connected
    std::string error;                     // set when the helper container could not run at all
    std::vector<std::string> left_behind;  // what could not be removed
};

// Passed when every target answered; the detail names what did not (and the helper's error), and what could not be
// removed.
Outcome judge_connect(const ConnectRun& run, const std::vector<ConnectTarget>& targets);

ConnectRun connect_from_network(const settings::Settings& settings, const std::vector<ConnectTarget>& targets,
                                Deadline deadline);

}  // namespace envctl::verify
