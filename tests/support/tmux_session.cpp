#include "support/tmux_session.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "envctl/util/subprocess.hpp"

namespace envctl::test {
namespace {

subprocess::Result run_tmux(const std::vector<std::string>& args) {
    subprocess::Spec spec;
    spec.argv = {"tmux"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = std::chrono::seconds(20);
    return subprocess::run(spec);
}

}  // namespace

bool tmux_usable(std::string* why_not) {
    auto r = run_tmux({"-V"});
    if (r.ok()) return true;
    if (why_not) *why_not = "tmux -V failed (apt-get install tmux): " + r.err;
    return false;
}

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

TmuxSession::TmuxSession(std::size_t columns, std::size_t rows, const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env) {
    static std::atomic<int> counter{0};
    socket_ = "envctl-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    // A trap (not an ignore: the command gets SIGINT's default back) keeps this script alive when Ctrl-C reaches
    // the pane's process group, so the command's own exit code is recorded.
    std::string script = "#!/bin/sh\nunset CI\ntrap : INT\n";
    for (const auto& [k, v] : env) script += "export " + k + "=" + shell_quote(v) + "\n";
    std::string command;
    for (const auto& a : argv) command += (command.empty() ? "" : " ") + shell_quote(a);
    const auto exit_file = (dir_ / "exit-code").string();
    script += command + "\necho $? > " + shell_quote(exit_file + ".tmp") + " && mv " + shell_quote(exit_file + ".tmp") +
              " " + shell_quote(exit_file) + "\nexec sleep 600\n";
    auto path = dir_.write("run.sh", script);
    // -f /dev/null: none of the machine's tmux configuration; a private socket: no other tmux is touched.
    auto r = run_tmux({"-L", socket_, "-f", "/dev/null", "new-session", "-d", "-x", std::to_string(columns), "-y",
                       std::to_string(rows), "-s", "t", "sh " + shell_quote(path.string())});
    if (!r.ok()) throw std::runtime_error("tmux new-session failed: " + r.err);
}

TmuxSession::~TmuxSession() { run_tmux({"-L", socket_, "kill-server"}); }

std::string TmuxSession::tmux(const std::vector<std::string>& args) const {
    std::vector<std::string> all = {"-L", socket_};
    all.insert(all.end(), args.begin(), args.end());
    return run_tmux(all).out;
}

int TmuxSession::wait_exit(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        std::ifstream in(dir_ / "exit-code");
        int code = -1;
        if (in >> code) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let tmux draw the last bytes
            return code;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
}

bool TmuxSession::wait_for_text(const std::string& text, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        for (const auto& line : screen())
            if (line.find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

std::vector<std::string> TmuxSession::screen(bool joined, bool history) const {
    std::vector<std::string> args = {"capture-pane", "-p", "-t", "t"};
    if (joined) args.push_back("-J");
    if (history) args.insert(args.end(), {"-S", "-"});
    std::istringstream in(tmux(args));
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && line.back() == ' ') line.pop_back();
        lines.push_back(line);
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

void TmuxSession::send_keys(const std::string& keys) const { tmux({"send-keys", "-t", "t", keys}); }

}  // namespace envctl::test
