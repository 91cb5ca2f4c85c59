#include "envctl/ui/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>

#include "envctl/util/redactor.hpp"

namespace envctl::ui {
namespace {

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' && std::strcmp(v, "false") != 0 && std::strcmp(v, "0") != 0;
}

void write_err(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

}  // namespace

Mode detect_mode(bool quiet) {
    if (quiet) return Mode::quiet;
    const char* term = std::getenv("TERM");
    bool dumb = term == nullptr || std::strcmp(term, "dumb") == 0;
    return (::isatty(STDERR_FILENO) && !dumb && !env_set("CI")) ? Mode::live : Mode::plain;
}

Progress::Progress(Mode mode) : mode_(mode) { colour_ = mode == Mode::live && !env_set("NO_COLOR"); }

Progress::~Progress() { finish(); }

void Progress::set_services(const std::vector<std::string>& services) {
    std::lock_guard lock(mutex_);
    order_ = services;
    for (const auto& s : services)
        if (!status_.count(s)) status_[s] = "waiting";
    if (mode_ == Mode::live) redraw_locked();
}

void Progress::service(const std::string& name, const std::string& status, bool ok, bool bad) {
    std::lock_guard lock(mutex_);
    if (status_[name] == status) return;
    status_[name] = status;
    tone_[name] = ok ? 1 : bad ? 2 : 0;
    if (mode_ == Mode::plain) write_err(Redactor::global().redact("envctl: " + name + ": " + status) + "\n");
    else if (mode_ == Mode::live) redraw_locked();
}

void Progress::note(const std::string& line) {
    std::lock_guard lock(mutex_);
    if (mode_ == Mode::quiet) return;
    if (mode_ == Mode::live && drawn_lines_ > 0) {
        // Print the note above the live block, then redraw the block below it.
        write_err("\x1b[" + std::to_string(drawn_lines_) + "A\x1b[J");
        drawn_lines_ = 0;
    }
    write_err(Redactor::global().redact("envctl: " + line) + "\n");
    if (mode_ == Mode::live && !finished_) redraw_locked();
}

void Progress::finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    drawn_lines_ = 0;
}

void Progress::redraw_locked() {
    if (finished_ || order_.empty()) return;
    std::string out;
    if (drawn_lines_ > 0) out += "\x1b[" + std::to_string(drawn_lines_) + "A";
    std::size_t width = 0;
    for (const auto& s : order_) width = std::max(width, s.size());
    for (const auto& s : order_) {
        std::string line = "  " + s + std::string(width - s.size() + 2, ' ');
        int tone = tone_.count(s) ? tone_[s] : 0;
        if (colour_ && tone == 1) line += "\x1b[32m" + status_[s] + "\x1b[0m";
        else if (colour_ && tone == 2) line += "\x1b[31m" + status_[s] + "\x1b[0m";
        else line += status_[s];
        out += "\x1b[2K" + line + "\n";
    }
    drawn_lines_ = static_cast<int>(order_.size());
    write_err(Redactor::global().redact(out));
}

}  // namespace envctl::ui
