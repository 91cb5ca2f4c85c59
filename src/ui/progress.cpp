#include "envctl/ui/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "envctl/ui/terminal.hpp"
#include "envctl/ui/text_width.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::ui {

Mode detect_mode(bool quiet) {
    if (quiet) return Mode::quiet;
    return live_capable(STDERR_FILENO) ? Mode::live : Mode::plain;
}

Progress::Progress(Mode mode) : Progress(mode, terminal_output(STDERR_FILENO), mode == Mode::live && !no_color()) {
    if (mode_ != Mode::live) return;
    watch_resizes();
    routes_log_ = true;
    log::set_line_writer([this](std::string_view line) { print_line(line); });
}

Progress::Progress(Mode mode, Output output, bool colour) : mode_(mode), region_(std::move(output)), colour_(colour) {}

Progress::~Progress() { finish(); }

void Progress::set_services(const std::vector<std::string>& services) {
    std::lock_guard lock(mutex_);
    order_.clear();
    for (const auto& s : services) {
        order_.push_back(Redactor::global().redact(s));
        if (!status_.count(order_.back())) status_[order_.back()] = "waiting";
    }
    if (mode_ != Mode::live || finished_) return;
    std::string out;
    region_.erase(out);
    redraw_locked(out);
    region_.write(out);
}

void Progress::service(const std::string& raw_name, const std::string& raw_status, bool ok, bool bad) {
    const std::string name = Redactor::global().redact(raw_name);
    const std::string status = Redactor::global().redact(raw_status);
    std::lock_guard lock(mutex_);
    if (status_[name] == status) return;
    status_[name] = status;
    tone_[name] = ok ? Tone::ok : bad ? Tone::bad : Tone::neutral;
    if (mode_ == Mode::plain) {
        region_.write("envctl: " + name + ": " + status + "\n");
    } else if (mode_ == Mode::live && !finished_) {
        std::string out;
        region_.erase(out);
        redraw_locked(out);
        region_.write(out);
    }
}

void Progress::tick(const std::string& name, const std::string& status) {
    if (mode_ == Mode::live) service(name, status);
}

void Progress::note(const std::string& line) {
    if (mode_ == Mode::quiet) return;
    print_line(Redactor::global().redact("envctl: " + line));
}

void Progress::print_line(std::string_view line) {
    std::lock_guard lock(mutex_);
    std::string out;
    const bool block_shown = mode_ == Mode::live && !finished_;
    if (block_shown) {
        region_.erase(out);
        region_.line(out, std::string(line), std::string(line), false);
        redraw_locked(out);
    } else {
        out.append(line);
        out += '\n';
    }
    region_.write(out);
}

void Progress::finish() {
    // The logger's writer takes mutex_: let go of it first, without holding mutex_ (see log::set_line_writer).
    if (routes_log_.exchange(false)) log::set_line_writer({});
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    if (mode_ != Mode::live || order_.empty()) return;
    std::string out;
    region_.erase(out);
    for (const auto& line : final_lines(entries_locked(), region_.geometry())) region_.line(out, line.text, paint(line), false);
    region_.end(out);
    region_.write(out);
}

void Progress::redraw_locked(std::string& out) {
    if (!order_.empty())
        for (const auto& line : layout_block(entries_locked(), region_.geometry())) region_.line(out, line.text, paint(line), true);
    region_.end(out);
}

std::string Progress::paint(const BlockLine& line) const {
    if (!colour_ || line.tone == Tone::neutral || line.status_at >= line.text.size()) return line.text;
    const char* colour = line.tone == Tone::ok ? "\x1b[32m" : "\x1b[31m";
    return line.text.substr(0, line.status_at) + colour + line.text.substr(line.status_at) + "\x1b[0m";
}

std::vector<Entry> Progress::entries_locked() const {
    std::vector<Entry> entries;
    for (const auto& name : order_) {
        auto tone = tone_.find(name);
        entries.push_back({name, status_.at(name), tone == tone_.end() ? Tone::neutral : tone->second});
    }
    return entries;
}

}  // namespace envctl::ui
