// The migrator's templates: built from the migrations, checked, swapped in atomically.
#include "envctl/migrations/template.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/db/admin.hpp"
#include "envctl/db/database_copy.hpp"
#include "envctl/db/ledger.hpp"
#include "envctl/migrations/apply.hpp"
#include "envctl/migrations/schema_document.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/hash.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

constexpr const char* kMarker = "envctl.template/v1 ";

// Drops the database it names when it goes out of scope (the build, when anything failed; the old template).
struct DropOnExit {
    db::Session& admin;
    std::string name;
    ~DropOnExit() {
        if (name.empty()) return;
        try {
            db::drop_template(admin, name);
        } catch (const std::exception& e) {
            log::warn("could not drop {}: {}", name, e.what());
        }
    }
};

}  // namespace

std::string template_name(const std::string& database) {
    const std::string name = database + "__template";
    db::check_identifier(name, "template of " + database);
    return name;
}

std::string template_lock_name(const std::string& database) { return "envctl.template:" + database; }

std::string to_comment(const TemplateRecord& r) {
    return kMarker + nlohmann::json{{"source", r.source},
                                    {"version", r.version},
                                    {"ledger_digest", r.ledger_digest},
                                    {"document_sha256", r.document_sha256},
                                    {"built_at", r.built_at}}
                         .dump();
}

std::optional<TemplateRecord> parse_template_comment(const std::string& comment) {
    if (comment.rfind(kMarker, 0) != 0) return std::nullopt;
    try {
        const auto j = nlohmann::json::parse(comment.substr(std::string(kMarker).size()));
        TemplateRecord r;
        r.source = j.at("source").get<std::string>();
        r.version = j.at("version").get<int>();
        r.ledger_digest = j.at("ledger_digest").get<std::string>();
        r.document_sha256 = j.at("document_sha256").get<std::string>();
        r.built_at = j.value("built_at", "");
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<TemplateRecord> read_template(db::Session& session, const std::string& database) {
    auto record = parse_template_comment(db::template_comment(session, template_name(database)));
    if (record && record->source != database) return std::nullopt;
    return record;
}

TemplateRecord expected_record(const Config& config, const DatabaseTarget& target,
                               const std::vector<MigrationFile>& files) {
    TemplateRecord r;
    r.source = target.name;
    r.version = files.empty() ? 0 : files.back().version;
    std::vector<db::LedgerEntry> entries;
    for (const auto& f : files) entries.push_back(db::LedgerEntry{f.version, f.name, f.checksum, {}, 0});
    r.ledger_digest = db::ledger_digest(entries);
    const auto document = schema_document_for(config.schema_docs_dir, target.name);
    std::error_code ec;
    r.document_sha256 = std::filesystem::exists(document, ec) ? hash::sha256_hex(files::read(document)) : "none";
    return r;
}

std::optional<std::string> template_stale(const TemplateRecord& found, const TemplateRecord& expected) {
    if (found.version != expected.version)
        return fmt::format("it was built at version {:04}; the migrations are at {:04}", found.version, expected.version);
    if (found.ledger_digest != expected.ledger_digest)
        return std::string("it was built from migration files that have changed since");
    if (found.document_sha256 != expected.document_sha256)
        return std::string("it was checked against a schema document that has changed since");
    return std::nullopt;
}

std::string refresh_template(db::Session& admin, const Config& config, const DatabaseTarget& target,
                             const std::vector<MigrationFile>& files, const ExpectedSchema& expected, Deadline deadline) {
    const auto name = template_name(target.name);
    const auto suffix = hash::sha256_hex(target.name).substr(0, 16);
    const std::string build = "envctl_tpl_new_" + suffix;
    const std::string old = "envctl_tpl_old_" + suffix;
    // Leftovers of an interrupted run (the caller holds the migrate lock: nobody else builds this template).
    db::drop_template(admin, build);
    db::drop_template(admin, old);
    db::create_database(admin, build, target.owner);
    DropOnExit drop_build{admin, build};

    auto record = expected_record(config, target, files);
    {
        auto info = config.owner_connection(target);
        info.database = build;
        db::Session session(info);
        session.set_deadline(deadline);
        db::ensure_and_read_ledger(session);
        const ApplyLimits limits{deadline, config.lock_timeout, config.timeout};
        for (const auto& file : files) {
            if (auto failure = apply_file(session, file, limits))
                return "building " + name + " from the migrations: " + describe(*failure);
        }
        const auto differences = compliance_differences(expected, session);
        if (!differences.empty())
            return fmt::format("{} built from the migrations is not compliant ({} difference(s), the first: {})", name,
                               differences.size(), differences.front());
    }
    record.built_at = admin.query("SELECT " + db::utc_timestamp_sql("now()")).at(0).at(0).value_or("");

    // The swap, in one transaction, while no copy of the template is being made: a lease sees the old template or
    // the new one, never none.
    db::AdvisoryLock lock(admin, template_lock_name(target.name));
    if (!lock.acquire(deadline)) return "copies of " + name + " held its lock until MIGRATION_TIMEOUT ran out";
    const bool had = db::database_exists(admin, name);
    const auto quoted = admin.quote_name(name);
    std::string swap;
    if (had) swap += "ALTER DATABASE " + quoted + " RENAME TO " + admin.quote_name(old) + "; ";
    swap += "ALTER DATABASE " + admin.quote_name(build) + " RENAME TO " + quoted + "; ALTER DATABASE " + quoted +
            " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true; COMMENT ON DATABASE " + quoted + " IS " +
            admin.quote(to_comment(record));
    admin.exec(swap);
    drop_build.name = had ? old : "";
    log::debug("{}: template {} refreshed at version {:04}", target.name, name, record.version);
    return {};
}

}  // namespace envctl::migrations
