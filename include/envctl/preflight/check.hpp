#pragma once
// One preflight check's outcome, as `doctor` prints it (text, or envctl.doctor/v1's "checks").

#include <string>

namespace envctl::preflight {

struct Check {
    std::string name;
    bool ok = false;
    std::string detail;  // what was seen (a runtime's error verbatim, versions, ...)
    std::string fix;     // what to do when not ok
};

}  // namespace envctl::preflight
