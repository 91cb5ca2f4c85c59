#pragma once
// A command run in a real terminal: a detached tmux session (Debian's tmux, on a private server socket) of a given
// size, its screen read back with `tmux capture-pane -p`. The command runs from a shell script that records its
// exit code, then keeps the pane open so the final screen can be read.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace envctl::test {

bool tmux_usable(std::string* why_not);

class TmuxSession {
public:
    // Starts `argv` in a `columns` x `rows` pane with the process environment less CI, plus `env`.
    TmuxSession(std::size_t columns, std::size_t rows, const std::vector<std::string>& argv,
                const std::map<std::string, std::string>& env);
    ~TmuxSession();  // kills the private tmux server
    TmuxSession(const TmuxSession&) = delete;
    TmuxSession& operator=(const TmuxSession&) = delete;

    // The command's exit code once it ended, or -1 when `timeout` passed first.
    int wait_exit(std::chrono::milliseconds timeout);
    // True once the screen holds `text`, false when `timeout` passed first.
    bool wait_for_text(const std::string& text, std::chrono::milliseconds timeout);
    // The visible screen (capture-pane -p), one string per row. With `joined`, wrapped rows are joined into the
    // line they came from (-J); with `history`, the scrollback too (-S -).
    std::vector<std::string> screen(bool joined = false, bool history = false) const;
    // Sends keys (tmux send-keys syntax, e.g. "C-c").
    void send_keys(const std::string& keys) const;

private:
    std::string tmux(const std::vector<std::string>& args) const;
    TempDir dir_;
    std::string socket_;
};

// `text` as one single-quoted shell word.
std::string shell_quote(const std::string& text);

}  // namespace envctl::test
