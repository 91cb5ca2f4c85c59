#pragma once
// ENVCTL_PORTS=auto, the pure part: which port variables keep their value and which get a free host port, and how
// free ports are picked. Precedence: process environment / command line > the project's recorded auto choice >
// a newly picked port; the env file's (and the built-in defaults') values are what `fixed` uses and `auto` replaces.
// orchestration/port_choice.hpp does the locking, checking and recording around it.

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "envctl/settings/settings.hpp"

namespace envctl::settings {

struct PortPlan {
    std::map<std::string, int> explicit_ports;  // given in the process environment or on the command line
    std::map<std::string, int> recorded;        // the project's earlier auto choice, kept
    std::vector<std::string> to_pick;           // need a free port now
};

// `port_variables`: every variable the stack publishes a host port from. `recorded`: the project's choice so far.
PortPlan plan_ports(const Variables& vars, const std::vector<std::string>& port_variables,
                    const std::map<std::string, int>& recorded);

// Where auto ports come from: below Linux's ephemeral range (32768-60999), above the fixed ports of the seed and
// of the tests, so an outgoing connection never holds a port picked but not yet published.
struct PortRange {
    int first = 30000;
    int last = 32767;
};

// `count` distinct ports of `range`, none in `taken`, each one `is_free` accepts; the scan starts at `start`
// (wrapping around), so projects spread over the range. Throws Error(preflight) when the range runs out.
std::vector<int> pick_ports(std::size_t count, const std::set<int>& taken, const std::function<bool(int)>& is_free,
                            PortRange range, int start);

// A start in `range` that depends only on the project name (projects scan from different places).
int scan_start(const std::string& project, PortRange range);

}  // namespace envctl::settings
