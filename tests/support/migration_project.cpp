#include "support/migration_project.hpp"
#include "support/test_paths.hpp"

#include <algorithm>
#include <atomic>
#include <unistd.h>

#include "envctl/migrations/schema_document.hpp"
#include "envctl/util/files.hpp"

namespace envctl::test {

namespace {

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

}  // namespace

MigrationProject::MigrationProject(const PgCluster& pg, const std::vector<std::string>& bases) : pg_(pg), bases_(bases) {
    static std::atomic<int> counter{0};
    // Unique per process and per project: ctest may run test binaries' cases in parallel on separate clusters,
    // and one binary run shares a cluster between all its cases.
    prefix_ = "m" + std::to_string(::getpid() % 100000) + "_" + std::to_string(++counter) + "_";
    write_env();
    std::filesystem::create_directories(dir_ / "migrations");
}

void MigrationProject::set_spares(int spares) {
    spares_ = spares;
    write_env();
}

void MigrationProject::write_env() const {
    const auto& bases = bases_;
    std::string env = "POSTGRES_PORT=" + std::to_string(pg_.port()) + "\nPOSTGRES_USER=" + pg_.superuser() +
                      "\nPOSTGRES_PASSWORD=" + pg_.password() + "\nPOSTGRES_DB=postgres\nMIGRATION_APPROACH=aggressive\n"
                      "MIGRATION_TIMEOUT=30s\nENVCTL_DB_SPARES=" + std::to_string(spares_) + "\nPOSTGRES_MULTIPLE_DATABASES=";
    for (std::size_t i = 0; i < bases.size(); ++i) env += (i ? "," : "") + db(bases[i]);
    env += "\n";
    for (const auto& base : bases) env += upper(db(base)) + "_PASSWORD=" + owner_password(base) + "\n";
    dir_.write(".env.development", env);
}

void MigrationProject::use_real_migrations(const std::string& base) {
    const std::filesystem::path repo = std::filesystem::path(ENVCTL_REPO_ROOT) / "migrations";
    for (const auto& entry : std::filesystem::directory_iterator(repo / base))
        write_migration(base, entry.path().filename().string(), files::read(entry.path()));
    write_schema_document(base, files::read(migrations::schema_document_for(repo, base)));
}

void MigrationProject::write_migration(const std::string& base, const std::string& file, const std::string& sql) const {
    dir_.write("migrations/" + db(base) + "/" + file, sql);
}

void MigrationProject::remove_migration(const std::string& base, const std::string& file) const {
    std::filesystem::remove(dir_ / ("migrations/" + db(base) + "/" + file));
}

void MigrationProject::write_schema_document(const std::string& base, const std::string& markdown) const {
    auto path = migrations::schema_document_for(dir_ / "migrations", db(base));
    dir_.write(std::filesystem::relative(path, dir_.path()).string(), markdown);
}

migrations::Config MigrationProject::config(Duration timeout) const {
    auto settings = settings::load({.project_dir = dir_.path()}, {}, dir_.path());
    auto config = migrations::config_from(settings);
    config.timeout = timeout;
    return config;
}

subprocess::Environment MigrationProject::environment() const {
    auto env = subprocess::current_environment();
    for (auto it = env.begin(); it != env.end();) {  // the test's own settings must not leak in
        const auto& k = it->first;
        it = (k.rfind("POSTGRES", 0) == 0 || k.rfind("MIGRATION", 0) == 0 || k.rfind("ENVCTL", 0) == 0) ? env.erase(it)
                                                                                                       : std::next(it);
    }
    env["ENVCTL_LOCK_DIR"] = (dir_ / "locks").string();
    return env;
}

subprocess::Result MigrationProject::envctl(const std::vector<std::string>& args,
                                            const subprocess::Environment& extra) const {
    subprocess::Spec spec;
    spec.argv = {ENVCTL_BINARY, "--project-dir", dir_.path().string()};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = environment();
    for (const auto& [k, v] : extra) (*spec.env)[k] = v;
    spec.timeout = std::chrono::seconds(120);
    return subprocess::run(spec);
}

std::unique_ptr<db::Session> MigrationProject::admin(const std::string& base) const {
    return std::make_unique<db::Session>(pg_.admin_connection(base.empty() ? "postgres" : db(base)));
}

std::string MigrationProject::scalar(const std::string& base, const std::string& sql) const {
    auto rows = admin(base)->query(sql);
    if (rows.empty() || rows[0].empty() || !rows[0][0]) return "";
    return *rows[0][0];
}

bool can_connect(const PgCluster& pg, const std::string& user, const std::string& password, const std::string& database) {
    auto info = pg.admin_connection(database);
    info.user = user;
    info.password = password;
    return db::ping(info).ok;
}

}  // namespace envctl::test
