#include "envctl/preflight/ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace envctl::preflight {
namespace {

// Inodes of the listening sockets on `port` (state 0A = LISTEN) from /proc/net/tcp and tcp6.
std::set<std::string> listening_inodes(int port) {
    std::set<std::string> inodes;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string sl, local, remote, state, queues, timer, retrans, uid, timeout, inode;
            fields >> sl >> local >> remote >> state >> queues >> timer >> retrans >> uid >> timeout >> inode;
            auto colon = local.rfind(':');
            if (colon == std::string::npos || state != "0A") continue;
            if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) inodes.insert(inode);
        }
    }
    return inodes;
}

std::string read_first_line(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    return s;
}

std::string read_cmdline(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto& c : s)
        if (c == '\0') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    if (s.size() > 200) s = s.substr(0, 200) + "...";
    return s;
}

}  // namespace

std::string PortHolder::describe(int port) const {
    if (pid == 0) return "port " + std::to_string(port) + " is in use by a process envctl cannot see";
    std::string out = "port " + std::to_string(port) + " is held by " + program + " (PID " + std::to_string(pid) + ")";
    if (!command_line.empty()) out += ": " + command_line;
    return out;
}

bool port_free(const std::string& address, int port) {
    bool v6 = address.find(':') != std::string::npos;
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return true;  // cannot tell; the engine will say so when it publishes
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    bool ok = false;
    if (v6) {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(static_cast<uint16_t>(port));
        ok = inet_pton(AF_INET6, address.c_str(), &a.sin6_addr) == 1 &&
             ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        ok = inet_pton(AF_INET, address.c_str(), &a.sin_addr) == 1 &&
             ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ::close(fd);
    return ok;
}

std::optional<PortHolder> find_port_holder(int port) {
    auto inodes = listening_inodes(port);
    if (inodes.empty()) return std::nullopt;
    std::error_code ec;
    for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
        const auto name = proc.path().filename().string();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
        std::error_code fd_ec;
        for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fd_ec)) {
            std::error_code link_ec;
            auto target = std::filesystem::read_symlink(fd.path(), link_ec).string();
            if (link_ec || target.rfind("socket:[", 0) != 0) continue;
            if (inodes.count(target.substr(8, target.size() - 9))) {
                PortHolder h;
                h.pid = std::stol(name);
                h.program = read_first_line(proc.path() / "comm");
                h.command_line = read_cmdline(proc.path() / "cmdline");
                return h;
            }
        }
    }
    return PortHolder{};
}

}  // namespace envctl::preflight
