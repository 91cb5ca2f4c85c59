// verify's outputs: the envctl.verify/v1 and envctl.verify-list/v1 documents exactly as the contract gives them,
// JUnit XML escaped and redacted, text as table and plain lines.
#include "envctl/verify/report.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;

namespace {

Report sample() {
    Report r;
    r.project = "intl";
    r.checks = {{"environment", "postgresql", "ready", Status::pass, 120ms, "ready"},
                {"environment", "redis-dapr", "connect", Status::fail, 2100ms, "redis-dapr:6379 <refused> & \"gone\" s3cr3t-value"},
                {"migrations", "postgresql", "database services_db", Status::timeout, 15s, "still running"},
                {"environment", "azurite", "ready", Status::skipped, 0ms, "not selected"}};
    r.categories = {{"environment", 1, 1, 1, 0, 2100ms}, {"migrations", 0, 0, 0, 1, 15s}};
    return r;
}

}  // namespace

TEST(VerifyReport, JsonHasTheContractShape) {
    auto j = to_json(sample());
    EXPECT_EQ(j["schema"], "envctl.verify/v1");
    EXPECT_EQ(j["project"], "intl");
    EXPECT_EQ(j["passed"], false);
    ASSERT_EQ(j["checks"].size(), 4u);
    std::vector<std::string> keys;
    for (auto it = j["checks"][1].begin(); it != j["checks"][1].end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"category", "service", "name", "status", "duration_ms", "detail"}));
    EXPECT_EQ(j["checks"][1]["status"], "fail");
    EXPECT_EQ(j["checks"][1]["duration_ms"], 2100);
    EXPECT_EQ(j["checks"][2]["status"], "timeout");
    EXPECT_EQ(j["checks"][3]["status"], "skipped");
    keys.clear();
    for (auto it = j["categories"][0].begin(); it != j["categories"][0].end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"name", "passed", "failed", "skipped", "timeout", "duration_ms"}));
    EXPECT_EQ(j["categories"][1]["timeout"], 1);
    EXPECT_EQ(j["categories"][1]["duration_ms"], 15000);
}

TEST(VerifyReport, ListJsonHasTheContractShape) {
    std::vector<Check> checks{{"environment", "postgresql", "connect", {}, ""}, {"migrations", "postgresql", "database content_db", {}, "x"}};
    auto j = list_json(checks);
    EXPECT_EQ(j.dump(), R"({"schema":"envctl.verify-list/v1","checks":[{"category":"environment","service":"postgresql","name":"connect"},)"
                        R"({"category":"migrations","service":"postgresql","name":"database content_db"}]})");
}

TEST(VerifyReport, JunitIsEscapedRedactedAndCountsPerSuite) {
    Redactor redactor;
    redactor.add_secret("s3cr3t-value");
    auto xml = to_junit(sample(), redactor);
    EXPECT_EQ(xml.find("s3cr3t-value"), std::string::npos);
    EXPECT_NE(xml.find("***"), std::string::npos);
    EXPECT_NE(xml.find("redis-dapr:6379 &lt;refused&gt; &amp; &quot;gone&quot;"), std::string::npos) << xml;
    EXPECT_EQ(xml.find("<refused>"), std::string::npos);
    EXPECT_NE(xml.find(R"(<testsuite name="environment" tests="3" failures="1" errors="0" skipped="1" time="2.100">)"),
              std::string::npos) << xml;
    EXPECT_NE(xml.find(R"(<testsuite name="migrations" tests="1" failures="0" errors="1" skipped="0" time="15.000">)"),
              std::string::npos) << xml;
    EXPECT_NE(xml.find(R"(<testcase classname="environment.postgresql" name="postgresql ready" time="0.120"/>)"), std::string::npos);
    EXPECT_NE(xml.find(R"(<skipped message="not selected"/>)"), std::string::npos);
    EXPECT_NE(xml.find(R"(<error message="still running" type="timeout">)"), std::string::npos);
}

TEST(VerifyReport, TextIsATableOnATerminalAndPlainLinesElsewhere) {
    auto table = to_text(sample(), true);
    EXPECT_EQ(table.rfind("CATEGORY", 0), 0u);
    EXPECT_NE(table.find("verify FAILED"), std::string::npos);
    auto plain = to_text(sample(), false);
    EXPECT_EQ(plain.find("CATEGORY"), std::string::npos);
    EXPECT_NE(plain.find("fail environment redis-dapr connect (2100ms): redis-dapr:6379"), std::string::npos) << plain;
    EXPECT_NE(plain.find("category migrations: 0 passed, 0 failed, 0 skipped, 1 timed out in 15s"), std::string::npos) << plain;
}
