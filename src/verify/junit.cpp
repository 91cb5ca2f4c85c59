// JUnit XML as GitHub, GitLab and Jenkins read it: <testsuites><testsuite name tests failures errors skipped
// time><testcase classname name time><failure message type>detail</failure></testcase>...
#include <fmt/format.h>

#include "envctl/verify/report.hpp"

namespace envctl::verify {
namespace {

// XML-escaped, and without the control characters XML 1.0 cannot carry at all.
std::string xml(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto u = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (u < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') out += '?';
                else out += ch;
        }
    }
    return out;
}

std::string seconds(Duration d) { return fmt::format("{:.3f}", static_cast<double>(d.count()) / 1000.0); }

}  // namespace

std::string to_junit(const Report& report, const Redactor& redactor) {
    auto text = [&](const std::string& s) { return xml(redactor.redact(s)); };
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"{}\">\n", text("envctl verify " + report.project));
    for (const auto& category : report.categories) {
        out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n",
                           text(category.name), category.passed + category.failed + category.skipped + category.timeout,
                           category.failed, category.timeout, category.skipped, seconds(category.duration));
        for (const auto& c : report.checks) {
            if (c.category != category.name) continue;
            out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", text(c.category + "." + c.service),
                               text(c.service + " " + c.name), seconds(c.duration));
            switch (c.status) {
                case Status::pass: out += "/>\n"; continue;
                case Status::fail:
                    out += fmt::format(">\n      <failure message=\"{0}\" type=\"fail\">{0}</failure>\n", text(c.detail));
                    break;
                case Status::timeout:
                    out += fmt::format(">\n      <error message=\"{0}\" type=\"timeout\">{0}</error>\n", text(c.detail));
                    break;
                case Status::skipped: out += fmt::format(">\n      <skipped message=\"{}\"/>\n", text(c.detail)); break;
            }
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

}  // namespace envctl::verify
