// spdlog lives here and nowhere else. Every message is redacted before it reaches a sink.
#include "envctl/util/log.hpp"

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "envctl/util/redactor.hpp"

namespace envctl::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<Format> g_format{Format::text};

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
    case Level::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

std::mutex g_writer_mutex;
LineWriter g_writer;

// stderr, or the live view's writer while one owns the terminal.
class RoutedSink final : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        std::string_view line(formatted.data(), formatted.size());
        std::lock_guard lock(g_writer_mutex);
        if (g_writer) {
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
            g_writer(line);
            return;
        }
        std::fwrite(line.data(), 1, line.size(), stderr);
        std::fflush(stderr);
    }
    void flush_() override { std::fflush(stderr); }
};

std::shared_ptr<spdlog::logger> make_logger(Format format) {
    auto sink = std::make_shared<RoutedSink>();
    auto logger = std::make_shared<spdlog::logger>("envctl", sink);
    // Text: "envctl: message" for info, "envctl: warning: ..." etc. JSON: one object a line, message pre-escaped.
    const char* pattern = format == Format::json
                              ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%v})"
                              : "envctl: %v";
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern, spdlog::pattern_time_type::utc));
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
    return logger;
}

std::shared_ptr<spdlog::logger>& logger() {
    static std::shared_ptr<spdlog::logger> instance = make_logger(Format::text);
    return instance;
}

}  // namespace

void configure(Level level, Format format) {
    g_level.store(level);
    g_format.store(format);
    logger() = make_logger(format);
}

void set_line_writer(LineWriter writer) {
    std::lock_guard lock(g_writer_mutex);
    g_writer = std::move(writer);
}

bool enabled(Level level) { return level != Level::off && level >= g_level.load(); }

void write(Level level, std::string_view message) {
    if (!enabled(level)) return;
    std::string text = Redactor::global().redact(message);
    if (g_format.load() == Format::json) {
        text = nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else if (level == Level::warn) {
        text = "warning: " + text;
    } else if (level == Level::error) {
        text = "error: " + text;
    } else if (level == Level::debug) {
        text = "debug: " + text;
    }
    logger()->log(to_spdlog(level), "{}", text);
}

}  // namespace envctl::log
