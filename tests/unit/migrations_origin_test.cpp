// Each schema document against the origin document it was written from: every origin table, column, constraint,
// index and function is present, with the same definition, except the deviations the document lists.
// A small regex-based extractor, for this test only (envctl itself never parses SQL).
#include <gtest/gtest.h>
#include "support/test_paths.hpp"

#include <map>
#include <regex>
#include <set>

#include "envctl/migrations/schema_document.hpp"
#include "envctl/util/files.hpp"

namespace {

std::string normalize(std::string s) {
    s = std::regex_replace(s, std::regex(R"(--[^\n]*)"), "");
    s = std::regex_replace(s, std::regex(R"(\s+)"), " ");
    s = std::regex_replace(s, std::regex(R"(\s*([(),])\s*)"), "$1");
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

// Splits a CREATE TABLE body at its top-level commas.
std::vector<std::string> items(const std::string& body) {
    std::vector<std::string> out;
    int depth = 0;
    std::string current;
    for (char c : body) {
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (c == ',' && depth == 0) {
            out.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    out.push_back(current);
    return out;
}

// "table services", "column services.title = varchar(255) not null", "constraint featured_categories = unique(...)",
// "index idx_x = on services(category_id) where ...", "function f".
std::map<std::string, std::string> facts(const std::string& markdown) {
    std::string sql;
    for (const auto& block : envctl::migrations::sql_blocks(markdown)) sql += block.sql;
    sql = std::regex_replace(sql, std::regex(R"(--[^\n]*)"), "");
    std::map<std::string, std::string> out;

    static const std::regex table(R"(CREATE TABLE (\w+) \(([\s\S]*?)\n\);)", std::regex::icase);
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), table); it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1];
        out["table " + name] = "";
        for (const auto& raw : items((*it)[2])) {
            auto item = normalize(raw);
            if (item.empty()) continue;
            static const std::regex constraint(R"(^(constraint|unique|primary|check|foreign)\b.*)");
            if (std::regex_match(item, constraint)) {
                out["constraint " + name + ": " + item] = item;
            } else {
                auto space = item.find(' ');
                out["column " + name + "." + item.substr(0, space)] = item.substr(space + 1);
            }
        }
    }
    static const std::regex index(R"(CREATE (UNIQUE )?INDEX (\w+)\s+(ON [^;]*);)", std::regex::icase);
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), index); it != std::sregex_iterator(); ++it)
        out["index " + (*it)[2].str()] = normalize((*it)[1].str() + (*it)[3].str());
    static const std::regex function(R"(CREATE (OR REPLACE )?FUNCTION (\w+)\()", std::regex::icase);
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), function); it != std::sregex_iterator(); ++it)
        out["function " + (*it)[2].str()] = "";
    return out;
}

std::string deviations_section(const std::string& markdown) {
    auto at = markdown.find("## Deviations from the origin document");
    return at == std::string::npos ? "" : markdown.substr(at);
}

// Every origin fact is in ours, with the same definition, unless its key names a listed deviation; every listed
// deviation is named in the document's deviations section.
void check(const std::string& document, const std::set<std::string>& deviations) {
    const auto origin_text =
        envctl::files::read(std::filesystem::path(ENVCTL_TEST_DATA) / "migrations" / "origin" / document);
    const auto ours_text = envctl::files::read(std::filesystem::path(ENVCTL_REPO_ROOT) / "migrations" / document);
    const auto origin = facts(origin_text);
    const auto ours = facts(ours_text);
    ASSERT_GT(origin.size(), 20u) << "the extractor found too little in the origin " << document;

    std::set<std::string> used;
    for (const auto& [key, definition] : origin) {
        std::string deviation;
        for (const auto& d : deviations) {
            if (key.find(d) != std::string::npos) deviation = d;
        }
        if (!deviation.empty()) {
            used.insert(deviation);
            EXPECT_FALSE(ours.count(key)) << document << ": " << key << " is listed as a deviation but still present";
            continue;
        }
        auto found = ours.find(key);
        if (found == ours.end()) {
            ADD_FAILURE() << document << ": origin's " << key << " is missing and not a listed deviation";
        } else {
            EXPECT_EQ(found->second, definition) << document << ": " << key << " differs from the origin";
        }
    }
    const auto section = deviations_section(ours_text);
    ASSERT_FALSE(section.empty()) << document << " has no deviations section";
    for (const auto& d : deviations) {
        EXPECT_TRUE(used.count(d)) << "deviation " << d << " matches nothing in the origin";
        EXPECT_NE(section.find(d), std::string::npos) << document << " does not list the deviation " << d;
    }
}

}  // namespace

TEST(OriginSchema, ServicesDocumentHasEveryOriginObjectExceptItsDeviations) {
    check("SERVICES-SCHEMA.md", {"only_one_default_unassigned", "no_default_unassigned_featured",
                                 "publish_audit_event_to_grafana_loki", "reassign_services_to_default_category"});
}

TEST(OriginSchema, ContentDocumentHasEveryOriginObjectExceptItsDeviations) {
    check("CONTENT-SCHEMA.md", {"process_content_upload_with_dapr_events", "publish_content_audit_event_to_grafana_loki",
                                "update_storage_health_with_notifications"});
}

TEST(OriginSchema, ExtractorSeesColumnsConstraintsAndIndexes) {
    auto f = facts("```sql\nCREATE TABLE t (\n    id UUID PRIMARY KEY, -- c\n    n INT NOT NULL DEFAULT 0,\n"
                   "    UNIQUE(n)\n);\nCREATE INDEX i ON t(n) WHERE n > 0;\n```\n");
    EXPECT_EQ(f.at("column t.id"), "uuid primary key");
    EXPECT_EQ(f.at("column t.n"), "int not null default 0");
    EXPECT_TRUE(f.count("constraint t: unique(n)"));
    EXPECT_EQ(f.at("index i"), "on t(n)where n > 0");
}
