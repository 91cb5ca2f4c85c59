#pragma once
// The authoritative schema documents: markdown whose fenced ```sql blocks, in order, are the schema.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace envctl::migrations {

struct SqlBlock {
    std::string sql;
    int line = 0;  // 1-based line of the block's first SQL line in the document
};

// Every block fenced as ```sql (or ~~~sql); other fences are ignored.
std::vector<SqlBlock> sql_blocks(std::string_view markdown);

// services_db -> <dir>/SERVICES-SCHEMA.md: the database name without a trailing "_db", upper-case.
std::filesystem::path schema_document_for(const std::filesystem::path& dir, const std::string& database);

}  // namespace envctl::migrations
