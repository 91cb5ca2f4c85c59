// What a lease's, a template's and a spare's comment say, expiry against a given server time, lease names.
#include <gtest/gtest.h>

#include "envctl/migrations/leases.hpp"
#include "envctl/migrations/spares.hpp"
#include "envctl/migrations/template.hpp"

using envctl::migrations::Lease;

TEST(LeaseRecord, RoundTripsThroughItsComment) {
    const Lease lease{"services_db__lease_00000000ab", "services_db", "2026-11-27T15:00:00.000Z",
                      "2026-11-27T16:00:00.000Z"};
    const auto comment = envctl::migrations::to_comment(lease);
    EXPECT_EQ(comment.rfind("envctl.lease/v1 {", 0), 0u) << comment;
    EXPECT_EQ(envctl::migrations::parse_lease_comment(lease.name, comment), lease);
}

TEST(LeaseRecord, OtherCommentsAreNotLeases) {
    EXPECT_FALSE(envctl::migrations::parse_lease_comment("x", ""));
    EXPECT_FALSE(envctl::migrations::parse_lease_comment("x", "the production copy"));
    EXPECT_FALSE(envctl::migrations::parse_lease_comment("x", "envctl.lease/v1 {not json"));
    EXPECT_FALSE(envctl::migrations::parse_lease_comment("x", "envctl.lease/v1 {\"source\": \"d\"}"));
    EXPECT_FALSE(envctl::migrations::parse_lease_comment(
        "x", R"(envctl.lease/v1 {"source": "d", "created_at": "yesterday", "expires_at": "2026-11-27T16:00:00.000Z"})"));
}

TEST(LeaseRecord, ExpiresAtItsExpiryInTheServersTime) {
    const Lease lease{"l", "d", "2026-11-27T15:00:00.000Z", "2026-11-27T15:00:01.500Z"};
    EXPECT_FALSE(envctl::migrations::expired(lease, "2026-11-27T15:00:01.499Z"));
    EXPECT_TRUE(envctl::migrations::expired(lease, "2026-11-27T15:00:01.500Z"));
    EXPECT_TRUE(envctl::migrations::expired(lease, "2026-11-28T00:00:00.000Z"));
    EXPECT_FALSE(envctl::migrations::expired(lease, "2026-11-27T09:59:59.999Z"));
}

TEST(LeaseRecord, TimestampsReadAsMillisecondsSinceTheEpoch) {
    EXPECT_EQ(envctl::migrations::timestamp_ms("1970-01-01T00:00:00.000Z"), 0);
    EXPECT_EQ(envctl::migrations::timestamp_ms("1970-01-02T00:00:01.250Z"), 86401250);
    EXPECT_EQ(*envctl::migrations::timestamp_ms("2026-11-27T16:00:00.000Z") -
                  *envctl::migrations::timestamp_ms("2026-11-27T15:00:00.000Z"),
              3600000);
    EXPECT_FALSE(envctl::migrations::timestamp_ms("2026-11-27 15:00:00"));
    EXPECT_FALSE(envctl::migrations::timestamp_ms("2026-02-30T15:00:00.000Z"));
}

TEST(LeaseRecord, NamesAreTheSourceAndTenHexDigitsWithinSixtyThreeBytes) {
    EXPECT_EQ(envctl::migrations::lease_name("services_db", 0xabcdef1234ULL), "services_db__lease_abcdef1234");
    EXPECT_NE(envctl::migrations::lease_name("services_db", 1), envctl::migrations::lease_name("services_db", 2));
    const auto long_name = envctl::migrations::lease_name(std::string(60, 'd'), 7);
    EXPECT_EQ(long_name.size(), 63u);
    EXPECT_EQ(long_name.substr(long_name.size() - 10), "0000000007");
}

TEST(TemplateRecord, RoundTripsAndSaysWhyItIsStale) {
    envctl::migrations::TemplateRecord record{"services_db", 3, "abc", "doc1", "2026-11-27T15:00:00.000Z"};
    const auto parsed = envctl::migrations::parse_template_comment(envctl::migrations::to_comment(record));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, record);
    EXPECT_FALSE(envctl::migrations::parse_template_comment("envctl.lease/v1 {}"));

    auto wanted = record;
    wanted.built_at.clear();
    EXPECT_FALSE(envctl::migrations::template_stale(record, wanted));
    wanted.version = 4;
    EXPECT_EQ(envctl::migrations::template_stale(record, wanted), "it was built at version 0003; the migrations are at 0004");
    wanted = record;
    wanted.ledger_digest = "def";
    EXPECT_NE(envctl::migrations::template_stale(record, wanted)->find("migration files that have changed"), std::string::npos);
    wanted = record;
    wanted.document_sha256 = "doc2";
    EXPECT_NE(envctl::migrations::template_stale(record, wanted)->find("schema document"), std::string::npos);
    EXPECT_EQ(envctl::migrations::template_name("services_db"), "services_db__template");
}

TEST(SpareRecord, CarriesItsTemplatesRecordAndIsNeitherALeaseNorATemplate) {
    envctl::migrations::TemplateRecord record{"services_db", 3, "abc", "doc1", "2026-11-27T15:00:00.000Z"};
    const auto comment = envctl::migrations::spare_comment(record);
    EXPECT_EQ(comment.rfind("envctl.spare/v1 ", 0), 0u) << comment;
    EXPECT_EQ(envctl::migrations::parse_spare_comment(comment), record);
    EXPECT_FALSE(envctl::migrations::parse_spare_comment(envctl::migrations::to_comment(record)));
    EXPECT_FALSE(envctl::migrations::parse_template_comment(comment));
    EXPECT_FALSE(envctl::migrations::parse_lease_comment("services_db__spare_0000000001", comment));
    auto rebuilt = record;
    rebuilt.built_at = "2026-11-27T16:00:00.000Z";  // the same migrations built again: another template
    EXPECT_NE(envctl::migrations::spare_comment(rebuilt), comment);
    EXPECT_EQ(envctl::migrations::derived_name("services_db", "spare", 0xabcdef1234ULL), "services_db__spare_abcdef1234");
}
