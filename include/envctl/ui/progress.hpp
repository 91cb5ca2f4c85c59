#pragma once
// Progress for long commands, on stderr. Thread-safe: the prober reports from its own threads.
//
// live (stderr a terminal, TERM set and not "dumb", CI not set): one writer owns the terminal, as ninja's
// LinePrinter and docker compose's live view do. A block with one line per service (or image) is kept at the
// bottom; every line fits the terminal's width (cut with "…", never wrapped) and the block is never taller than
// the terminal (beyond that, a summary line "+ N more: 9 ready, 3 starting"). Every other line printed while the
// block is shown, the logger's included (it is routed here while the block lives), goes above the block, which is
// redrawn below it. A resize (SIGWINCH) is honoured at the next redraw. When the block ends, it is replaced by the
// final state of every service, each exactly once. Colour only here, and never with NO_COLOR.
// plain: one line per event ("envctl: NAME: STATUS"), no escape sequence at all. quiet (-q): nothing.
// Everything passes the redactor.

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "envctl/ui/block_layout.hpp"
#include "envctl/ui/live_region.hpp"

namespace envctl::ui {

enum class Mode { live, plain, quiet };

// live when stderr is a terminal, TERM is set and not "dumb" and CI is not set; quiet with -q; plain otherwise.
Mode detect_mode(bool quiet);

class Progress {
public:
    using Output = TerminalOutput;

    // On stderr; in live mode the logger's lines are routed through this view until finish().
    explicit Progress(Mode mode);
    // On `output`, with or without colour; the logger is left alone.
    Progress(Mode mode, Output output, bool colour);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // The services shown in the live block, in order.
    void set_services(const std::vector<std::string>& services);
    // A service's state changed: "waiting", "starting", "ready 1.2s", "failed: exit 1" ...; `ok`/`bad` colour it.
    void service(const std::string& name, const std::string& status, bool ok = false, bool bad = false);
    // A passing state between events (an image's bytes so far): shown in the live block only, as plain output
    // prints events, not ticks.
    void tick(const std::string& name, const std::string& status);
    // A line that is not about one service ("attempt 2 of 3 in 2.1s"), printed as "envctl: LINE".
    void note(const std::string& line);
    // A line printed as it is (above the block in live mode).
    void print_line(std::string_view line);
    // Ends the live block: it is replaced by the final state of every service, once. Idempotent.
    void finish();

private:
    void redraw_locked(std::string& out);
    std::string paint(const BlockLine& line) const;
    std::vector<Entry> entries_locked() const;

    Mode mode_;
    LiveRegion region_;
    bool colour_ = false;
    std::atomic<bool> routes_log_{false};
    std::mutex mutex_;
    std::vector<std::string> order_;
    std::map<std::string, std::string> status_;
    std::map<std::string, Tone> tone_;
    bool finished_ = false;
};

}  // namespace envctl::ui
