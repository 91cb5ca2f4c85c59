// Finding 12 of issue 14: secrets are redacted in JSON documents value by value, before they are serialized.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envctl/orchestration/failure_report.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/redact_json.hpp"
#include "support/temp_dir.hpp"

using envctl::Redactor;
using envctl::redacted;

namespace {

// The process-wide redactor with extra secrets for one test, restored afterwards (other tests print "true").
class ScopedSecrets {
public:
    explicit ScopedSecrets(std::initializer_list<std::string> secrets) : saved_(Redactor::global()) {
        for (const auto& s : secrets) Redactor::global().add_secret(s);
    }
    ~ScopedSecrets() { Redactor::global() = saved_; }
    ScopedSecrets(const ScopedSecrets&) = delete;
    ScopedSecrets& operator=(const ScopedSecrets&) = delete;

private:
    Redactor saved_;
};

const std::string kQuoted = "pa\"ss\\wo'rd";     // a quote and a backslash: JSON escapes both
const std::string kUnicode = "geh\xC3\xA9im-\xE2\x82\xAC";  // "geheim-€" in UTF-8
const std::string kDigits = "1234";
const std::string kWord = "true";

}  // namespace

TEST(RedactJson, HostileSecretsNeverReachTheSerializedDocument) {
    Redactor r;
    for (const auto& s : {kQuoted, kUnicode, kDigits, kWord}) r.add_secret(s);
    nlohmann::json doc{{"message", "login with " + kQuoted + " failed"},
                       {"nested", {{"list", {kUnicode, "x" + kDigits + "y", kWord}}}},
                       {"ready", true},
                       {"attempts", 1234},
                       {"report", nullptr}};
    const std::string text = redacted(doc, r).dump(2);
    const auto back = nlohmann::json::parse(text);  // still a document
    EXPECT_EQ(back["message"], "login with *** failed");
    EXPECT_EQ(back["nested"]["list"], nlohmann::json({"***", "x***y", "***"}));
    EXPECT_EQ(back["ready"], true);        // a boolean is not a secret's text
    EXPECT_EQ(back["attempts"], 1234);     // nor a number
    EXPECT_TRUE(back["report"].is_null());
    EXPECT_EQ(text.find("pa\\\"ss\\\\wo"), std::string::npos) << text;  // the escaped form
    EXPECT_EQ(text.find("geh"), std::string::npos) << text;
    EXPECT_EQ(text.find("\\u00e9"), std::string::npos) << text;
}

TEST(RedactJson, OrderedDocumentsKeepTheirOrder) {
    Redactor r;
    r.add_secret(kQuoted);
    nlohmann::ordered_json doc{{"z", kQuoted}, {"a", 1}};
    EXPECT_EQ(redacted(doc, r).dump(), R"({"z":"***","a":1})");
}

TEST(RedactJson, StateFileIsRedacted) {
    ScopedSecrets secrets{kQuoted, kUnicode};
    envctl::test::TempDir dir;
    envctl::orchestration::State s;
    s.phase = envctl::orchestration::Phase::failed;
    s.command = "up";
    s.failure = "postgresql: password " + kQuoted + " rejected";
    s.service_states["vault"] = {false, std::nullopt, "token " + kUnicode};
    envctl::orchestration::write_state(dir / "state.json", s);
    const std::string text = envctl::files::read(dir / "state.json");
    EXPECT_EQ(text.find("ss\\\\wo"), std::string::npos) << text;
    EXPECT_EQ(text.find("geh"), std::string::npos) << text;
    auto back = envctl::orchestration::read_state(dir / "state.json");
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->failure, "postgresql: password *** rejected");
    EXPECT_EQ(back->service_states["vault"].detail, "token ***");
}

TEST(RedactJson, FailureReportWithSecretsThatLookLikeJson) {
    ScopedSecrets secrets{kQuoted, kDigits, kWord};
    envctl::test::TempDir dir;
    envctl::orchestration::FailureReport r;
    r.project = "p";
    r.command = "up";
    r.attempt = 1;
    r.attempts = 1234;
    envctl::orchestration::ServiceFailure f;
    f.service = "web";
    f.kind = "failed";
    f.cause = "secret " + kQuoted + " was refused";
    f.exit_code = 1234;
    f.log_tail = {"it is true that " + kQuoted + " leaked"};
    r.failures.push_back(f);
    const auto path = envctl::orchestration::write_failure_report(dir.path(), r);
    const std::string text = envctl::files::read(path);
    nlohmann::json doc;
    ASSERT_NO_THROW(doc = nlohmann::json::parse(text)) << text;
    EXPECT_EQ(doc["attempts"], 1234);
    EXPECT_EQ(doc["failures"][0]["cause"], "secret *** was refused");
    EXPECT_EQ(doc["failures"][0]["log_tail"][0], "it is *** that *** leaked");
    EXPECT_EQ(text.find("ss\\\\wo"), std::string::npos) << text;
}
