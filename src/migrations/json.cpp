#include "envctl/migrations/json.hpp"

namespace envctl::migrations {

nlohmann::json to_json(const DatabaseStatus& status, bool detailed) {
    nlohmann::json entry = {{"name", status.name},   {"version", status.version}, {"pending", status.pending},
                            {"drift", status.drift}, {"compliant", status.compliant}};
    entry["template"] = status.template_db ? nlohmann::json{{"name", status.template_db->name},
                                                            {"version", status.template_db->version},
                                                            {"matches", status.template_db->matches}}
                                           : nlohmann::json(nullptr);
    if (detailed) {
        entry["differences"] = status.differences;
        entry["detail"] = status.detail;
    }
    return entry;
}

nlohmann::json status_document(const std::vector<DatabaseStatus>& statuses) {
    nlohmann::json databases = nlohmann::json::array();
    bool ok = true;
    for (const auto& st : statuses) {
        databases.push_back(to_json(st, true));
        ok = ok && st.ready();
    }
    return {{"schema", "envctl.migrate-status/v1"}, {"ok", ok}, {"databases", databases}};
}

}  // namespace envctl::migrations
