// The catalog a schema document builds, in a scratch database (cached by the document's bytes).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/core/error.hpp"
#include "envctl/db/admin.hpp"
#include "envctl/db/ledger.hpp"
#include "envctl/migrations/compliance.hpp"
#include "envctl/migrations/schema_document.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/hash.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

// Drops the scratch database when it goes out of scope, whatever happened.
struct ScratchDatabase {
    db::Session& admin;
    std::string name;
    ~ScratchDatabase() {
        try {
            db::drop_database(admin, name);
        } catch (const std::exception& e) {
            log::warn("could not drop the scratch database {}: {}", name, e.what());
        }
    }
};

db::Catalog build(db::Session& admin, const std::string& database, const std::string& owner,
                  const std::filesystem::path& document, const std::string& content, Deadline deadline) {
    const std::string scratch = "envctl_scratch_" + hash::sha256_hex(database).substr(0, 16);
    db::AdvisoryLock lock(admin, "envctl.scratch:" + database);
    if (!lock.acquire(deadline))
        throw Error(ExitCode::migration, "another envctl held the scratch database of " + database +
                                             " until the migration deadline passed");
    db::drop_database(admin, scratch);
    db::create_database(admin, scratch, owner);
    ScratchDatabase guard{admin, scratch};

    auto info = admin.info();
    info.database = scratch;
    db::Session session(info);
    session.set_deadline(deadline);
    session.exec("SET ROLE " + session.quote_name(owner));
    for (const auto& block : sql_blocks(content)) {
        try {
            session.exec(block.sql);
        } catch (const db::SqlError& e) {
            const int line = block.line + (e.error().line ? *e.error().line - 1 : 0);
            throw Error(ExitCode::migration,
                        fmt::format("{}:{}: the schema document's sql block (from line {}) does not apply: {}",
                                    document.string(), line, block.line, e.error().message));
        }
    }
    return db::read_catalog(session, {db::kLedgerTable});
}

}  // namespace

namespace {

std::filesystem::path cache_file(db::Session& admin, const std::string& content, const std::filesystem::path& dir) {
    const std::string key =
        hash::sha256_hex(content + "\n" + std::to_string(admin.server_version()) + "\nenvctl-catalog-v1");
    return dir / ("schema-" + key.substr(0, 32) + ".json");
}

std::optional<db::Catalog> read_cache(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return std::nullopt;
    try {
        return catalog_from_json(files::read(file));
    } catch (const std::exception& e) {
        log::debug("ignoring the unreadable cache {}: {}", file.string(), e.what());
        return std::nullopt;
    }
}

}  // namespace

std::optional<db::Catalog> cached_catalog(db::Session& admin, const std::filesystem::path& document,
                                          const std::optional<std::filesystem::path>& cache_dir) {
    if (!cache_dir) return std::nullopt;
    return read_cache(cache_file(admin, files::read(document), *cache_dir));
}

db::Catalog expected_catalog(db::Session& admin, const std::string& database, const std::string& owner,
                             const std::filesystem::path& document,
                             const std::optional<std::filesystem::path>& cache_dir, Deadline deadline) {
    const std::string content = files::read(document);
    std::filesystem::path file;
    if (cache_dir) {
        file = cache_file(admin, content, *cache_dir);
        if (auto cached = read_cache(file)) return *cached;
    }
    auto catalog = build(admin, database, owner, document, content, deadline);
    if (cache_dir) {
        try {
            files::write_private(file, catalog_to_json(catalog));
        } catch (const std::exception& e) {
            log::debug("could not cache the schema catalog in {}: {}", file.string(), e.what());
        }
    }
    return catalog;
}

std::string catalog_to_json(const db::Catalog& catalog) {
    nlohmann::json columns = nlohmann::json::object();
    for (const auto& [name, c] : catalog.columns) {
        columns[name] = {{"type", c.type}, {"not_null", c.not_null},
                         {"default", c.default_expr ? nlohmann::json(*c.default_expr) : nlohmann::json()}};
    }
    nlohmann::json doc = {{"tables", catalog.tables},       {"columns", columns},
                          {"constraints", catalog.constraints}, {"indexes", catalog.indexes},
                          {"triggers", catalog.triggers},   {"functions", catalog.functions}};
    return doc.dump(1) + "\n";
}

db::Catalog catalog_from_json(const std::string& json) {
    auto doc = nlohmann::json::parse(json);
    db::Catalog catalog;
    catalog.tables = doc.at("tables").get<std::set<std::string>>();
    for (const auto& [name, c] : doc.at("columns").items()) {
        db::Column column{c.at("type").get<std::string>(), c.at("not_null").get<bool>(), std::nullopt};
        if (!c.at("default").is_null()) column.default_expr = c.at("default").get<std::string>();
        catalog.columns[name] = column;
    }
    catalog.constraints = doc.at("constraints").get<std::map<std::string, std::string>>();
    catalog.indexes = doc.at("indexes").get<std::map<std::string, std::string>>();
    catalog.triggers = doc.at("triggers").get<std::map<std::string, std::string>>();
    catalog.functions = doc.at("functions").get<std::map<std::string, std::string>>();
    return catalog;
}

}  // namespace envctl::migrations
