#pragma once
// `envctl status --watch [--interval D]`: the status table redrawn until Ctrl-C, which ends it with exit 130 and
// no message. On a terminal (stdout a tty, TERM set and not "dumb", CI not set) the table is redrawn in place, each
// line cut to the width, never taller than the terminal; otherwise each table is printed after the previous one.

#include <string>
#include <vector>

#include "envctl/cli/context.hpp"
#include "envctl/core/duration.hpp"
#include "envctl/core/exit_code.hpp"

namespace envctl::cli {

ExitCode watch_status(Context& ctx, const std::vector<std::string>& services, Duration interval);

}  // namespace envctl::cli
