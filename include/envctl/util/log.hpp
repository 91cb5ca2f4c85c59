#pragma once
// Logging to stderr (spdlog behind this one module). Every message passes the global Redactor.
// Formatting uses fmt (spdlog's own formatting library).

#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace envctl::log {

enum class Level { debug, info, warn, error, off };
enum class Format { text, json };

// -v: debug, default: info, -q: warn.
void configure(Level level, Format format);
void write(Level level, std::string_view message);
bool enabled(Level level);

// While set, each formatted log line (without its newline) goes to `writer` instead of stderr: a live view that
// owns the terminal (ui::Progress) prints it above its block. An empty function puts stderr back. The writer runs
// under the logger's lock: it must not log, and whoever holds a lock the writer takes must not call this.
using LineWriter = std::function<void(std::string_view line)>;
void set_line_writer(LineWriter writer);

template <typename... Args> void debug(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::debug)) write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args> void info(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::info)) write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args> void warn(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::warn)) write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args> void error(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::error)) write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace envctl::log
