#pragma once
// Logging to stderr (spdlog behind this one module). Every message passes the global Redactor.
// Formatting uses fmt (spdlog's own formatting library).

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
