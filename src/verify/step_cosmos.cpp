// verify's `cosmos` step: the Cosmos DB SQL API with the master key token. round_trip creates the database and a
// container in it, upserts a document, runs a SQL query that must return it, deletes the document, the container
// and the database (the database also when a step in between fails); create only creates the database; delete
// removes the database and what it holds (a cleanup step: already gone is fine).
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/verify/azure_clients.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::verify {
namespace {

using azure::Answer;

std::string random_value() {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return fmt::format("{:016x}", random());
}

}  // namespace

Outcome run_cosmos_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    const auto* key = env.settings ? env.settings->vars.find(step.key_variable) : nullptr;
    if (!key) return {false, step.key_variable + " is not set (the Cosmos DB key, in .env.development)"};
    azure::CosmosService service{env.host, published_port(step, env), *key};
    const std::string db = expand(step.database, env);
    const std::string where = "database " + db;
    const std::string db_link = "dbs/" + db;
    auto call = [&](const std::string& method, const std::string& type, const std::string& link, const std::string& path,
                    const azure::Headers& headers = {}, const std::string& body = "",
                    const std::string& content_type = "application/json") {
        return azure::cosmos_request(service, method, path, type, link, headers, body, content_type, deadline);
    };
    auto failed = [&](const std::string& what, const Answer& a) { return Outcome{false, fmt::format("{}: {}: {}", where, what, a.describe())}; };

    if (step.action == "delete") {
        const auto gone = call("DELETE", "dbs", db_link, "/" + db_link);
        if (gone.status == 204) return {true, where + ": deleted"};
        if (gone.status == 404) return {true, where + ": not there (nothing to delete)"};
        return failed("delete", gone);
    }
    const auto created = call("POST", "dbs", "", "/dbs", {}, nlohmann::json{{"id", db}}.dump());
    if (created.status != 201) return failed("create", created);
    if (step.action == "create") return {true, where + ": created"};

    // The container, the document and its partition key are all named after the database (envctl-verify-<random>).
    const std::string coll_link = db_link + "/colls/" + db;
    const std::string doc_link = coll_link + "/docs/" + db;
    const std::string value = random_value();
    const azure::Headers partition{{"x-ms-documentdb-partitionkey", nlohmann::json::array({db}).dump()}};
    auto outcome = [&]() -> Outcome {
        const nlohmann::json container{{"id", db}, {"partitionKey", {{"paths", {"/pk"}}, {"kind", "Hash"}}}};
        const auto coll = call("POST", "colls", db_link, "/" + db_link + "/colls", {}, container.dump());
        if (coll.status != 201) return failed("create container", coll);
        azure::Headers upsert = partition;
        upsert.emplace_back("x-ms-documentdb-is-upsert", "True");
        const nlohmann::json doc{{"id", db}, {"pk", db}, {"value", value}};
        const auto put = call("POST", "docs", coll_link, "/" + coll_link + "/docs", upsert, doc.dump());
        if (put.status != 201 && put.status != 200) return failed("upsert document", put);
        azure::Headers query = partition;
        query.emplace_back("x-ms-documentdb-isquery", "True");
        const nlohmann::json sql{{"query", "SELECT * FROM c WHERE c.id = @id"},
                                 {"parameters", nlohmann::json::array({{{"name", "@id"}, {"value", db}}})}};
        const auto found = call("POST", "docs", coll_link, "/" + coll_link + "/docs", query, sql.dump(), "application/query+json");
        if (found.status != 200) return failed("query", found);
        const auto answer = nlohmann::json::parse(found.body, nullptr, false);
        const nlohmann::json::json_pointer first("/Documents/0/value");
        if (answer.is_discarded() || !answer.contains(first) || answer.at(first) != value)
            return {false, fmt::format("{}: the query did not return the document: {}", where, found.describe())};
        const auto removed = call("DELETE", "docs", doc_link, "/" + doc_link, partition);
        if (removed.status != 204) return failed("delete document", removed);
        const auto coll_gone = call("DELETE", "colls", coll_link, "/" + coll_link);
        if (coll_gone.status != 204) return failed("delete container", coll_gone);
        return {true, fmt::format("{}: created with a container, a document upserted and returned by a SQL query, "
                                  "document and container deleted", where)};
    }();
    const auto gone = call("DELETE", "dbs", db_link, "/" + db_link);
    if (gone.status != 204) {
        outcome.ok = false;
        outcome.detail += fmt::format("; delete database: {}", gone.describe());
    } else if (outcome.ok) {
        outcome.detail += ", database deleted";
    }
    return outcome;
}

}  // namespace envctl::verify
