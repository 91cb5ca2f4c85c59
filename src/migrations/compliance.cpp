// Comparing two catalogs, object by object.
#include <regex>
#include <set>

#include <fmt/format.h>

#include "envctl/migrations/compliance.hpp"
#include "envctl/util/text.hpp"

namespace envctl::migrations {

namespace {

std::string describe(const db::Column& c) {
    std::string text = c.type;
    if (c.not_null) text += " NOT NULL";
    if (c.default_expr) text += " DEFAULT " + *c.default_expr;
    return text;
}

// Function bodies are compared with runs of whitespace collapsed, so re-indenting one is not a difference.
std::string squeeze(const std::string& text) { return envctl::text::squeeze_whitespace(text); }

// Tables present on one side only: their columns, constraints, indexes and triggers are not listed one by one.
using TableSet = std::set<std::string>;

bool of_unmatched_table(const TableSet& unmatched, const std::string& key) {
    return unmatched.count(key.substr(0, key.find('.'))) != 0;
}

// Missing, extra and changed entries of one kind of object whose definition is a string.
void compare_definitions(const char* kind, const std::map<std::string, std::string>& expected,
                         const std::map<std::string, std::string>& actual, bool squeeze_whitespace,
                         const TableSet& unmatched, std::vector<std::string>& out) {
    for (const auto& [name, definition] : expected) {
        if (of_unmatched_table(unmatched, name)) continue;
        auto found = actual.find(name);
        if (found == actual.end()) {
            out.push_back(fmt::format("missing {} {}: {}", kind, name, definition));
        } else if (squeeze_whitespace ? squeeze(found->second) != squeeze(definition) : found->second != definition) {
            out.push_back(fmt::format("{} {} differs: the database has {}; the schema document says {}", kind, name,
                                      found->second, definition));
        }
    }
    for (const auto& [name, definition] : actual) {
        if (!expected.count(name) && !of_unmatched_table(unmatched, name)) out.push_back(fmt::format("extra {} {}: {}", kind, name, definition));
    }
}

}  // namespace

bool is_audit_table(const std::string& name) {
    static const std::regex audit("(^|_)audit(_|$)", std::regex::icase);
    return std::regex_search(name, audit);
}

std::vector<std::string> compare_catalogs(const db::Catalog& expected, const db::Catalog& actual) {
    std::vector<std::string> out;
    TableSet unmatched;
    for (const auto& table : expected.tables) {
        if (!actual.tables.count(table)) {
            out.push_back("missing table " + table);
            unmatched.insert(table);
        }
    }
    for (const auto& table : actual.tables) {
        if (!expected.tables.count(table)) {
            out.push_back("extra table " + table);
            unmatched.insert(table);
        }
    }
    for (const auto& [name, column] : expected.columns) {
        if (of_unmatched_table(unmatched, name)) continue;
        auto found = actual.columns.find(name);
        if (found == actual.columns.end()) {
            out.push_back(fmt::format("missing column {} ({})", name, describe(column)));
            continue;
        }
        const auto& have = found->second;
        if (have.type != column.type)
            out.push_back(fmt::format("column {}: type is {}; the schema document says {}", name, have.type,
                                      column.type));
        if (have.not_null != column.not_null)
            out.push_back(fmt::format("column {}: {}; the schema document says {}", name,
                                      have.not_null ? "NOT NULL" : "nullable",
                                      column.not_null ? "NOT NULL" : "nullable"));
        if (have.default_expr != column.default_expr)
            out.push_back(fmt::format("column {}: default is {}; the schema document says {}", name,
                                      have.default_expr.value_or("none"), column.default_expr.value_or("none")));
    }
    for (const auto& [name, column] : actual.columns) {
        if (!expected.columns.count(name) && !of_unmatched_table(unmatched, name)) out.push_back(fmt::format("extra column {} ({})", name, describe(column)));
    }
    compare_definitions("constraint", expected.constraints, actual.constraints, false, unmatched, out);
    compare_definitions("index", expected.indexes, actual.indexes, false, unmatched, out);
    compare_definitions("trigger", expected.triggers, actual.triggers, false, unmatched, out);
    compare_definitions("function", expected.functions, actual.functions, true, TableSet{}, out);
    return out;
}

}  // namespace envctl::migrations
