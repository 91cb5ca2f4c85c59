#include "envctl/cli/status_watch.hpp"

#include <unistd.h>

#include <ctime>
#include <sstream>

#include <fmt/format.h>

#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/orchestration/status.hpp"
#include "envctl/ui/live_region.hpp"
#include "envctl/ui/terminal.hpp"
#include "envctl/ui/text_width.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::cli {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string clock_time() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M:%S", &local);
    return buf;
}

}  // namespace

ExitCode watch_status(Context& ctx, const std::vector<std::string>& services, Duration interval) {
    auto engine = make_engine(ctx, services);
    orchestration::StatusDeps deps{*engine, probe_factory(ctx, *engine), database_status(ctx)};
    const bool live = ui::live_capable(STDOUT_FILENO);
    if (live) ui::watch_resizes();
    ui::LiveRegion region(ui::terminal_output(STDOUT_FILENO));
    while (!interrupt::requested()) {
        std::string table;
        try {
            table = orchestration::to_text(orchestration::collect_status(ctx.settings(), ctx.stack(), services, deps));
        } catch (const Error&) {
            if (interrupt::received()) break;  // Ctrl-C while asking: no error, no trace
            throw;
        }
        const std::string header = fmt::format("every {}, {} (Ctrl-C to stop)", format_duration(interval), clock_time());
        auto lines = split_lines(Redactor::global().redact(table));
        lines.insert(lines.begin(), header);
        std::string out;
        if (live) {
            region.erase(out);
            const auto& g = region.geometry();
            // Never taller than the terminal (the cursor's row below it included), every line cut to the width.
            if (lines.size() > ui::max_block_lines(g)) lines.resize(ui::max_block_lines(g));
            for (const auto& line : lines) {
                auto cut = ui::elide(line, ui::usable_columns(g));
                region.line(out, cut, cut, true);
            }
            region.end(out);
            region.write(out);
        } else {
            for (const auto& line : lines) out += line + "\n";
            print_stdout(out + "\n");
        }
        if (!interrupt::sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(interval))) break;
    }
    return ExitCode::interrupted;
}

}  // namespace envctl::cli
