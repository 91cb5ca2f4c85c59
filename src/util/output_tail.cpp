#include "envctl/util/output_tail.hpp"

#include <deque>

#include "envctl/util/redactor.hpp"

namespace envctl {

std::string last_lines(const std::string& text, std::size_t max_lines) {
    std::deque<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(begin, end - begin);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        bool noise = line.find("level=warning") != std::string::npos &&
                     (line.find("systemd") != std::string::npos || line.find("syslog") != std::string::npos);
        if (!line.empty() && !noise) {
            lines.push_back(std::move(line));
            if (lines.size() > max_lines) lines.pop_front();
        }
        begin = end + 1;
    }
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return Redactor::global().redact(out);
}

}  // namespace envctl
