#include "envctl/ui/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace envctl::ui {
namespace {

volatile std::sig_atomic_t g_resized = 0;

extern "C" void on_winch(int) { g_resized = 1; }

std::size_t env_number(const char* name, std::size_t fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return fallback;
    char* end = nullptr;
    long n = std::strtol(v, &end, 10);
    return (*end == '\0' && n > 0 && n < 100000) ? static_cast<std::size_t>(n) : fallback;
}

bool env_true(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' && std::strcmp(v, "false") != 0 && std::strcmp(v, "0") != 0;
}

}  // namespace

Geometry query_geometry(int fd) {
    struct winsize ws {};
    Geometry g{env_number("COLUMNS", 80), env_number("LINES", 24)};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0) {
        if (ws.ws_col > 0) g.columns = ws.ws_col;
        if (ws.ws_row > 0) g.rows = ws.ws_row;
    }
    return g;
}

void watch_resizes() {
    static std::atomic<bool> installed{false};
    if (installed.exchange(true)) return;
    struct sigaction sa {};
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // a resize must not interrupt a read or a wait
    sigaction(SIGWINCH, &sa, nullptr);
}

bool take_resize() {
    if (g_resized == 0) return false;
    g_resized = 0;
    return true;
}

bool no_color() {
    const char* v = std::getenv("NO_COLOR");
    return v != nullptr && *v != '\0';
}

bool live_capable(int fd) {
    const char* term = std::getenv("TERM");
    const bool dumb = term == nullptr || *term == '\0' || std::strcmp(term, "dumb") == 0;
    return ::isatty(fd) == 1 && !dumb && !env_true("CI");
}

}  // namespace envctl::ui
