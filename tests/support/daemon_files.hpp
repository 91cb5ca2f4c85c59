#pragma once
// For the test servers that daemonize (redis-server, rabbitmq-server): their pid and log files, and whether a pid
// still runs.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace envctl::test {

// The whole file, or "" when it does not exist (yet).
inline std::string read_daemon_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// True while the process exists and is not a zombie.
inline bool process_alive(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

}  // namespace envctl::test
