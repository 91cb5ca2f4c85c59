#pragma once
// A throwaway project for migration tests, on the shared PostgreSQL cluster: a .env.development pointing at it,
// a migrations folder, and database names unique within the test binary ("m3_services_db"), so tests never see each
// other's databases. Its schema documents follow the names ("M3_SERVICES-SCHEMA.md").

#include <filesystem>
#include <string>
#include <vector>

#include "envctl/db/session.hpp"
#include "envctl/migrations/config.hpp"
#include "envctl/util/subprocess.hpp"
#include "support/pg_cluster.hpp"
#include "support/temp_dir.hpp"

namespace envctl::test {

class MigrationProject {
public:
    // `bases`: database names before the unique prefix ("services_db", "content_db").
    MigrationProject(const PgCluster& pg, const std::vector<std::string>& bases);

    const std::filesystem::path& root() const { return dir_.path(); }
    // The unique name of a base ("services_db" -> "m3_services_db").
    std::string db(const std::string& base) const { return prefix_ + base; }
    std::string owner(const std::string& base) const { return db(base) + "_owner"; }
    std::string owner_password(const std::string& base) const { return "pw-" + db(base) + "-secret"; }

    // The repository's migrations and schema document of a base ("services_db"), renamed for this project.
    void use_real_migrations(const std::string& base);
    void write_migration(const std::string& base, const std::string& file, const std::string& sql) const;
    void remove_migration(const std::string& base, const std::string& file) const;
    void write_schema_document(const std::string& base, const std::string& markdown) const;

    // ENVCTL_DB_SPARES in .env.development: 0 unless a test sets it (spares cost every migration some copies).
    void set_spares(int spares);

    migrations::Config config(Duration timeout = std::chrono::seconds(30)) const;
    // The environment for running the envctl binary on this project (settings come from .env.development).
    subprocess::Environment environment() const;
    // Runs the envctl binary with --project-dir and `args`.
    subprocess::Result envctl(const std::vector<std::string>& args, const subprocess::Environment& extra = {}) const;

    // A superuser session on one of this project's databases (or the maintenance database).
    std::unique_ptr<db::Session> admin(const std::string& base = "") const;
    // The first column of the first row of `sql`, run as superuser on a base's database.
    std::string scalar(const std::string& base, const std::string& sql) const;

private:
    void write_env() const;
    const PgCluster& pg_;
    std::vector<std::string> bases_;
    int spares_ = 0;
    TempDir dir_;
    std::string prefix_;
};

// Whether `user` can log in to `database` with `password`.
bool can_connect(const PgCluster& pg, const std::string& user, const std::string& password, const std::string& database);

}  // namespace envctl::test
