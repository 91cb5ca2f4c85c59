#pragma once
// Log lines of several services, as `docker compose logs` shows them: each prefixed with its service's name
// (padded to the longest, coloured on a terminal), and merged in time order when they come with timestamps.
// Pure functions.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace envctl::ui {

// "name   | " (name padded to `width` columns); with `colour`, the name in the colour picked by `index`.
std::string log_prefix(const std::string& name, std::size_t width, std::size_t index, bool colour);

// A line as `podman logs --timestamps` writes it: "2026-11-27T14:50:01.123456789Z text".
struct TimedLine {
    std::string key;      // sortable: the time to the nanosecond ("" when the line has no timestamp)
    std::string stamp;    // the timestamp as written
    std::string text;     // the rest of the line
};
TimedLine split_timestamp(std::string_view line);

// One service's lines, in its own order.
struct ServiceLines {
    std::string service;
    std::vector<TimedLine> lines;
};

// Every line of every service, in time order (a stable merge: a service's own lines keep their order, lines
// without a timestamp stay after the line before them), as (index into `services`, line).
std::vector<std::pair<std::size_t, TimedLine>> merge_by_time(const std::vector<ServiceLines>& services);

}  // namespace envctl::ui
