#include "envctl/db/database_copy.hpp"

#include "envctl/db/admin.hpp"

namespace envctl::db {

std::string utc_timestamp_sql(const std::string& expr) {
    return "to_char((" + expr + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

void copy_database(Session& admin, const std::string& name, const std::string& source, const std::string& owner,
                   const std::string& comment, bool connectable) {
    check_identifier(name, "database");
    check_identifier(source, "template");
    check_identifier(owner, "role");
    const auto quoted = admin.quote_name(name);
    admin.exec("CREATE DATABASE " + quoted + " TEMPLATE " + admin.quote_name(source) + " OWNER " +
               admin.quote_name(owner) + " ALLOW_CONNECTIONS false");
    // One implicit transaction: the database is connectable exactly when it is isolated and commented.
    admin.exec("REVOKE ALL ON DATABASE " + quoted + " FROM PUBLIC; COMMENT ON DATABASE " + quoted + " IS " +
               admin.quote(comment) + (connectable ? "; ALTER DATABASE " + quoted + " WITH ALLOW_CONNECTIONS true" : ""));
}

CommentedDatabases databases_commented(Session& session, const std::string& prefix) {
    auto rows = session.query(
        "SELECT " + utc_timestamp_sql("now()") +
            ", l.datname, l.comment FROM (SELECT 1) one LEFT JOIN ("
            "SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database"
            ") l ON starts_with(l.comment, $1) ORDER BY l.datname",
        {prefix});
    CommentedDatabases out;
    for (const auto& row : rows) {
        out.now = row.at(0).value_or("");
        if (row.at(1)) out.databases.push_back({*row.at(1), row.at(2).value_or("")});
    }
    return out;
}

std::string template_comment(Session& session, const std::string& name) {
    auto rows = session.query("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                              "WHERE datname = $1 AND datistemplate AND NOT datallowconn",
                              {name});
    return rows.empty() ? std::string() : rows[0].at(0).value_or("");
}

void drop_template(Session& admin, const std::string& name) {
    check_identifier(name, "database");
    if (!database_exists(admin, name)) return;
    admin.exec("ALTER DATABASE " + admin.quote_name(name) + " WITH IS_TEMPLATE false");
    drop_database(admin, name);
}

}  // namespace envctl::db
