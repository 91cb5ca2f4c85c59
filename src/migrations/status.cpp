#include "envctl/migrations/status.hpp"

#include <map>

#include "envctl/core/error.hpp"
#include "envctl/db/admin.hpp"
#include "envctl/db/catalog.hpp"
#include "envctl/db/ledger.hpp"
#include "envctl/migrations/compliance.hpp"
#include "envctl/migrations/drift.hpp"
#include "envctl/migrations/schema_document.hpp"
#include "envctl/migrations/template.hpp"
#include "envctl/migrations/verified.hpp"

namespace envctl::migrations {

ExpectedSchema expected_schema(db::Session& admin, const Config& config, const DatabaseTarget& target,
                               Deadline deadline, CatalogSource source) {
    ExpectedSchema expected;
    expected.document = schema_document_for(config.schema_docs_dir, target.name);
    std::error_code ec;
    if (!std::filesystem::exists(expected.document, ec)) {
        expected.problems.push_back("no schema document " + expected.document.string() +
                                    ": write one (its ```sql blocks are the schema)");
        return expected;
    }
    try {
        if (source == CatalogSource::cache_only) {
            expected.catalog = cached_catalog(admin, expected.document, config.cache_dir);
            if (!expected.catalog) {
                expected.unknown = true;
                return expected;
            }
        } else {
            expected.catalog =
                expected_catalog(admin, target.name, target.owner, expected.document, config.cache_dir, deadline);
        }
    } catch (const Error& e) {
        if (e.code() == ExitCode::interrupted) throw;
        expected.problems.push_back(e.what());
        return expected;
    }
    for (const auto& table : expected.catalog->tables) {
        if (is_audit_table(table))
            expected.problems.push_back(expected.document.filename().string() + " defines the audit table " + table +
                                        ": audit events belong in Loki, not in PostgreSQL");
    }
    return expected;
}

std::vector<std::string> compliance_differences(const ExpectedSchema& expected, db::Session& live) {
    std::vector<std::string> differences = expected.problems;
    if (expected.catalog) {
        for (auto& difference : compare_catalogs(*expected.catalog, db::read_catalog(live, {db::kLedgerTable})))
            differences.push_back(std::move(difference));
    }
    for (const auto& table : db::audit_tables(live))
        differences.push_back("audit table " + table + " refused: audit events belong in Loki, not in PostgreSQL");
    return differences;
}

namespace {

std::vector<std::string> names(const std::vector<MigrationFile>& files) {
    std::vector<std::string> out;
    for (const auto& f : files) out.push_back(f.name);
    return out;
}

}  // namespace

std::vector<DatabaseStatus> status(const Config& config, Deadline deadline, CatalogSource source) {
    std::map<std::string, std::vector<MigrationFile>> files;
    for (const auto& target : config.databases) files[target.name] = load_migrations(config.migrations_dir / target.name);

    std::vector<DatabaseStatus> out;
    std::unique_ptr<db::Session> admin;
    std::string unreachable;
    try {
        admin = std::make_unique<db::Session>(config.admin);
        admin->set_deadline(deadline);
    } catch (const db::ConnectionError& e) {
        unreachable = e.what();
    }

    for (const auto& target : config.databases) {
        DatabaseStatus st;
        st.name = target.name;
        st.pending = names(files[target.name]);
        try {
            if (!admin) {
                st.detail = unreachable;
            } else if (!db::database_exists(*admin, target.name)) {
                st.detail = "the database does not exist: run `envctl migrate`";
            } else {
                db::Session session(config.connection_to(target.name));
                session.set_deadline(deadline);
                const auto ledger = db::read_ledger(session);
                if (auto found = read_template(*admin, target.name))
                    st.template_db = DatabaseStatus::Template{template_name(target.name), found->version,
                                                              found->ledger_digest == db::ledger_digest(ledger)};
                auto plan = make_plan(ledger, files[target.name]);
                st.version = plan.version;
                st.pending = names(plan.pending);
                st.drift = plan.drift;
                const auto recorded =
                    plan.drift.empty() && plan.pending.empty()
                        ? recorded_fingerprint(config, target, verification_key(config, target, files[target.name]))
                        : std::nullopt;
                if (!recorded || db::catalog_fingerprint(session) != *recorded) {
                    const auto expected = expected_schema(*admin, config, target, deadline, source);
                    if (expected.unknown)
                        st.detail = "compliance not checked: the catalog of " + expected.document.filename().string() +
                                    " is not cached and this command creates nothing (`envctl migrate status` checks it)";
                    else
                        st.differences = compliance_differences(expected, session);
                }
                st.compliant = st.differences.empty() && st.detail.empty();
            }
        } catch (const db::SqlError& e) {
            st.detail = e.what();
        } catch (const db::ConnectionError& e) {
            st.detail = e.what();
        }
        out.push_back(std::move(st));
    }
    return out;
}

std::vector<DatabaseStatus> status(const settings::Settings& settings) {
    const auto config = config_from(settings);
    return status(config, Clock::now() + config.timeout, CatalogSource::cache_only);
}

}  // namespace envctl::migrations
