#pragma once
// Progress for long commands, on stderr. On a terminal (and not CI, TERM != dumb, NO_COLOR respected for colour):
// a live block with one line per service, redrawn in place. Otherwise: one plain line per event. Everything
// passes the redactor. Thread-safe: the prober reports from its own thread.

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace envctl::ui {

enum class Mode { live, plain, quiet };

// live when stderr is a terminal, TERM is not "dumb" and CI is not set; quiet with -q.
Mode detect_mode(bool quiet);

class Progress {
public:
    explicit Progress(Mode mode);
    ~Progress();

    // The services shown in the live block, in order.
    void set_services(const std::vector<std::string>& services);
    // A service's state changed: "waiting", "starting", "ready 1.2s", "failed: exit 1" ...; `ok`/`bad` colour it.
    void service(const std::string& name, const std::string& status, bool ok = false, bool bad = false);
    // A line that is not about one service ("attempt 2 of 3 in 2.1s").
    void note(const std::string& line);
    // Ends the live block (leaves its last state on screen).
    void finish();

private:
    void redraw_locked();
    Mode mode_;
    bool colour_ = false;
    std::mutex mutex_;
    std::vector<std::string> order_;
    std::map<std::string, std::string> status_;
    std::map<std::string, int> tone_;  // 0 neutral, 1 ok, 2 bad
    int drawn_lines_ = 0;
    bool finished_ = false;
};

}  // namespace envctl::ui
