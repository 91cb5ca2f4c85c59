#include "envctl/cli/json_failure.hpp"

#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

namespace envctl::cli {

std::string json_failure_document(const std::string& schema, ExitCode code, const std::string& message) {
    nlohmann::ordered_json doc;
    doc["schema"] = schema;
    static constexpr std::string_view kStatusShaped[] = {"envctl.up/v1", "envctl.reset/v1", "envctl.status/v1",
                                                         "envctl.wait-ready/v1"};
    if (std::find(std::begin(kStatusShaped), std::end(kStatusShaped), schema) != std::end(kStatusShaped))
        doc["ready"] = false;
    doc["exit_code"] = to_int(code);
    doc["message"] = message;
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string json_schema_after_parse_error(const CLI::App& app, int argc, const char* const* argv) {
    if (std::none_of(argv + 1, argv + argc, [](const char* a) { return std::string_view(a) == "--json"; })) return "";
    const CLI::App* sub = &app;
    std::string name;
    while (!sub->get_subcommands().empty()) {
        sub = sub->get_subcommands().front();
        name += (name.empty() ? "" : "-") + sub->get_name();
    }
    if (name.empty() || sub->get_option_no_throw("--json") == nullptr) return "";
    return "envctl." + name + "/v1";
}

}  // namespace envctl::cli
