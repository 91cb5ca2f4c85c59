#include "envctl/util/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <thread>

namespace envctl::interrupt {
namespace {

std::atomic<int> g_signal{0};
std::atomic<int> g_cleanup_depth{0};

extern "C" void on_signal(int signo) { g_signal.store(signo); }

}  // namespace

void install_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR so waits notice at once
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool requested() { return g_signal.load() != 0 && g_cleanup_depth.load() == 0; }
bool received() { return g_signal.load() != 0; }

CleanupScope::CleanupScope() { g_cleanup_depth.fetch_add(1); }
CleanupScope::~CleanupScope() { g_cleanup_depth.fetch_sub(1); }
int signal_number() { return g_signal.load(); }
void request_for_test(int signo) { g_signal.store(signo); }
void reset_for_test() { g_signal.store(0); }

bool sleep_for(std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (!requested()) {
        auto now = std::chrono::steady_clock::now();
        if (now >= until) return true;
        auto step = std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(20));
        std::this_thread::sleep_for(step);
    }
    return false;
}

}  // namespace envctl::interrupt
