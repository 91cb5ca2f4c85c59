// verify's JUnit file read by a real consumer: test-results-parser (the parser testbeats publishes JUnit results
// with; npm, installed by `scripts/setup --tests`, run by scripts/junit/summary.js). What it understands — suites,
// cases, statuses, the failure messages with the XML entities decoded and the secret still redacted — is what
// envctl meant.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envctl/util/files.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/verify/report.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;

namespace {

const std::filesystem::path kConsumer = std::filesystem::path(ENVCTL_REPO_ROOT) / "scripts" / "junit";

Report sample() {
    Report r;
    r.project = "intl";
    r.checks = {{"environment", "postgresql", "ready", Status::pass, 120ms, "ready"},
                {"environment", "redis-dapr", "connect", Status::fail, 2100ms, "redis-dapr:6379 <refused> & \"gone\" s3cr3t-value"},
                {"environment", "azurite", "ready", Status::skipped, 0ms, "not selected"},
                {"migrations", "postgresql", "database services_db", Status::timeout, 15s, "still running"}};
    r.categories = {{"environment", 1, 1, 1, 0, 2100ms}, {"migrations", 0, 0, 0, 1, 15s}};
    return r;
}

}  // namespace

TEST(VerifyJunitConsumer, TestResultsParserReadsSuitesCasesStatusesAndMessagesAsMeant) {
    REQUIRE_PREREQUISITE(std::filesystem::exists(kConsumer / "node_modules" / "test-results-parser" / "package.json"),
                         "test-results-parser under scripts/junit/node_modules (scripts/setup --tests)");
    Redactor redactor;
    redactor.add_secret("s3cr3t-value");
    test::TempDir dir;
    const auto file = dir / "verify.xml";
    files::write_atomic(file, to_junit(sample(), redactor));

    subprocess::Spec spec;
    spec.argv = {"node", (kConsumer / "summary.js").string(), file.string()};
    spec.timeout = 60s;
    const auto run = subprocess::run(spec);
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    const auto read = nlohmann::json::parse(run.out);
    EXPECT_EQ(read["total"], 3) << run.out;    // this consumer counts tests less skipped
    EXPECT_EQ(read["passed"], 1) << run.out;
    EXPECT_EQ(read["failed"], 1) << run.out;   // the failed check
    EXPECT_EQ(read["errors"], 1) << run.out;   // the timed-out one
    EXPECT_EQ(read["skipped"], 1) << run.out;
    ASSERT_EQ(read["suites"].size(), 2u) << run.out;
    const auto& environment = read["suites"][0];
    EXPECT_EQ(environment["name"], "environment");
    EXPECT_EQ(environment["total"], 2);
    EXPECT_EQ(environment["skipped"], 1);
    ASSERT_EQ(environment["cases"].size(), 3u);
    EXPECT_EQ(environment["cases"][0]["name"], "postgresql ready");
    EXPECT_EQ(environment["cases"][0]["status"], "PASS");
    EXPECT_EQ(environment["cases"][1]["status"], "FAIL");
    const std::string failure = environment["cases"][1]["failure"];
    EXPECT_NE(failure.find("redis-dapr:6379 <refused> & \"gone\""), std::string::npos) << failure;
    EXPECT_EQ(failure.find("s3cr3t-value"), std::string::npos) << failure;
    EXPECT_EQ(environment["cases"][2]["status"], "SKIP");
    const auto& migrations = read["suites"][1];
    EXPECT_EQ(migrations["name"], "migrations");
    EXPECT_EQ(migrations["cases"][0]["status"], "FAIL");
    EXPECT_EQ(migrations["cases"][0]["failure"], "still running");
}
