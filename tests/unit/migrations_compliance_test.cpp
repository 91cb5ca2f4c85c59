// Schema documents' sql blocks, catalog comparison, the audit-table rule, the catalog cache format.
#include <gtest/gtest.h>

#include "envctl/migrations/compliance.hpp"
#include "envctl/migrations/schema_document.hpp"

using envctl::db::Catalog;
using envctl::db::Column;
using namespace envctl::migrations;

namespace {

Catalog sample() {
    Catalog c;
    c.tables = {"services", "categories"};
    c.columns["services.title"] = Column{"character varying(255)", true, std::nullopt};
    c.columns["services.status"] = Column{"character varying(20)", true, "'draft'::character varying"};
    c.columns["categories.name"] = Column{"text", false, std::nullopt};
    c.constraints["services.services_pkey"] = "PRIMARY KEY (service_id)";
    c.indexes["services.idx_services_title"] = "CREATE INDEX idx_services_title ON public.services USING btree (title)";
    c.triggers["services.trg"] = "CREATE TRIGGER trg BEFORE INSERT ON public.services FOR EACH ROW EXECUTE FUNCTION f()";
    c.functions["f()"] = "CREATE OR REPLACE FUNCTION public.f()\n RETURNS trigger\nAS $$ BEGIN RETURN NEW; END; $$";
    return c;
}

bool mentions(const std::vector<std::string>& differences, const std::string& text) {
    for (const auto& d : differences) {
        if (d.find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST(SchemaDocument, OnlySqlFencesInOrderWithTheirLines) {
    auto blocks = sql_blocks("# T\n```sql\nCREATE TABLE a ();\n```\ntext\n```json\n{}\n```\n~~~SQL\nCREATE INDEX i ON a (x);\n~~~\n"
                             "````sql\n```\nnested fence text\n````\n");
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[0].sql, "CREATE TABLE a ();\n");
    EXPECT_EQ(blocks[0].line, 3);
    EXPECT_EQ(blocks[1].sql, "CREATE INDEX i ON a (x);\n");
    EXPECT_EQ(blocks[1].line, 10);
    EXPECT_EQ(blocks[2].sql, "```\nnested fence text\n");
}

TEST(SchemaDocument, NamedAfterTheDatabase) {
    EXPECT_EQ(schema_document_for("/m", "services_db"), std::filesystem::path("/m/SERVICES-SCHEMA.md"));
    EXPECT_EQ(schema_document_for("/m", "content_db"), std::filesystem::path("/m/CONTENT-SCHEMA.md"));
    EXPECT_EQ(schema_document_for("/m", "bench"), std::filesystem::path("/m/BENCH-SCHEMA.md"));
}

TEST(Compliance, AuditTablePattern) {
    for (const char* name : {"audit", "services_audit", "audit_log", "content_audit_events", "SERVICES_AUDIT"})
        EXPECT_TRUE(is_audit_table(name)) << name;
    for (const char* name : {"auditor", "services_audits", "content_access_log", "laudit", "schema_migrations"})
        EXPECT_FALSE(is_audit_table(name)) << name;
}

TEST(Compliance, IdenticalCatalogsHaveNoDifferences) { EXPECT_TRUE(compare_catalogs(sample(), sample()).empty()); }

TEST(Compliance, EachKindOfDifferenceIsListed) {
    auto actual = sample();
    actual.columns.erase("services.title");                                          // missing column
    actual.columns["services.extra"] = Column{"integer", false, std::nullopt};        // extra column
    actual.columns["services.status"].type = "text";                                  // type
    actual.columns["services.status"].not_null = false;                               // nullability
    actual.columns["services.status"].default_expr = "'x'::text";                     // default
    actual.indexes.erase("services.idx_services_title");                              // index
    actual.constraints["services.services_pkey"] = "PRIMARY KEY (title)";             // constraint changed
    actual.constraints["services.services_extra_check"] = "CHECK ((extra > 0))";      // constraint extra
    actual.functions["f()"] += " -- edited";                                          // function body
    auto d = compare_catalogs(sample(), actual);
    EXPECT_TRUE(mentions(d, "missing column services.title (character varying(255) NOT NULL)"));
    EXPECT_TRUE(mentions(d, "extra column services.extra (integer)"));
    EXPECT_TRUE(mentions(d, "column services.status: type is text; the schema document says character varying(20)"));
    EXPECT_TRUE(mentions(d, "column services.status: nullable; the schema document says NOT NULL"));
    EXPECT_TRUE(mentions(d, "column services.status: default is 'x'::text; the schema document says 'draft'::character varying"));
    EXPECT_TRUE(mentions(d, "missing index services.idx_services_title"));
    EXPECT_TRUE(mentions(d, "constraint services.services_pkey differs"));
    EXPECT_TRUE(mentions(d, "extra constraint services.services_extra_check"));
    EXPECT_TRUE(mentions(d, "function f() differs"));
    EXPECT_EQ(d.size(), 9u);
}

TEST(Compliance, WhitespaceInFunctionBodiesIsNotADifference) {
    auto actual = sample();
    actual.functions["f()"] = "CREATE OR REPLACE FUNCTION public.f()\n   RETURNS trigger\nAS $$\n  BEGIN\n    RETURN NEW;\n  END; $$";
    EXPECT_TRUE(compare_catalogs(sample(), actual).empty());
}

TEST(Compliance, AMissingTableIsOneDifferenceNotOnePerColumn) {
    auto actual = sample();
    actual.tables.erase("services");
    for (auto it = actual.columns.begin(); it != actual.columns.end();)
        it = it->first.rfind("services.", 0) == 0 ? actual.columns.erase(it) : std::next(it);
    actual.constraints.clear();
    actual.indexes.clear();
    actual.triggers.clear();
    auto d = compare_catalogs(sample(), actual);
    EXPECT_EQ(d, std::vector<std::string>{"missing table services"});
    d = compare_catalogs(actual, sample());
    EXPECT_EQ(d, std::vector<std::string>{"extra table services"});
}

TEST(Compliance, CatalogJsonRoundTrip) {
    auto c = sample();
    EXPECT_EQ(catalog_from_json(catalog_to_json(c)), c);
}
