#include "envctl/health/redis_command.hpp"

#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "socket.hpp"

namespace envctl::health {
namespace {

constexpr std::size_t kMaxReply = 1024 * 1024;

class ReplyReader {
public:
    ReplyReader(const net::Socket& s, Deadline deadline) : s_(s), deadline_(deadline) {
        ctx_.timeout = std::chrono::duration_cast<Duration>(remaining(deadline));
    }

    // One RESP value rendered as text; throws std::runtime_error when the connection fails.
    std::string value(bool& is_error) {
        const std::string line = read_line();
        if (line.empty()) throw std::runtime_error("empty reply line");
        const std::string rest = line.substr(1);
        switch (line[0]) {
            case '+': return rest;
            case '-': is_error = true; return rest;
            case ':': return rest;
            case '$': {
                const long n = std::stol(rest);
                if (n < 0) return "(nil)";
                const std::string data = read_exact(static_cast<std::size_t>(n) + 2);
                return data.substr(0, static_cast<std::size_t>(n));
            }
            case '*': {
                const long n = std::stol(rest);
                if (n < 0) return "(nil)";
                std::vector<std::string> items;
                bool ignored = false;
                for (long i = 0; i < n; ++i) items.push_back(value(ignored));
                return fmt::format("[{}]", fmt::join(items, ", "));
            }
            default: throw std::runtime_error("not a RESP reply: " + line.substr(0, 40));
        }
    }

private:
    void fill() {
        if (buffer_.size() > kMaxReply) throw std::runtime_error("reply larger than 1 MiB");
        auto st = net::read_some(s_, buffer_, deadline_, ctx_);
        if (!st.ok()) throw std::runtime_error(st.error);
    }
    std::string read_line() {
        std::size_t end;
        while ((end = buffer_.find("\r\n")) == std::string::npos) fill();
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return line;
    }
    std::string read_exact(std::size_t n) {
        while (buffer_.size() < n) fill();
        std::string out = buffer_.substr(0, n);
        buffer_.erase(0, n);
        return out;
    }

    const net::Socket& s_;
    Deadline deadline_;
    AttemptContext ctx_;
    std::string buffer_;
};

}  // namespace

RedisReply redis_command(const std::string& host, int port, const std::vector<std::string>& argv, Deadline deadline) {
    RedisReply reply;
    AttemptContext ctx;
    ctx.timeout = std::chrono::duration_cast<Duration>(remaining(deadline));
    net::Socket s;
    auto st = net::connect(s, host, port, deadline, ctx);
    std::string request = fmt::format("*{}\r\n", argv.size());
    for (const auto& a : argv) request += fmt::format("${}\r\n{}\r\n", a.size(), a);
    if (st.ok()) st = net::send_all(s, request, deadline, ctx);
    if (!st.ok()) {
        reply.failure = st.error;
        return reply;
    }
    try {
        ReplyReader reader(s, deadline);
        reply.text = reader.value(reply.is_error);
        reply.ok = true;
    } catch (const std::exception& e) {
        reply.failure = e.what();
    }
    return reply;
}

}  // namespace envctl::health
