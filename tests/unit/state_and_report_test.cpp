#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "envctl/orchestration/failure_report.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/redactor.hpp"
#include "support/temp_dir.hpp"

using namespace envctl::orchestration;

TEST(State, RoundTripsThroughTheFile) {
    envctl::test::TempDir dir;
    State s;
    s.phase = Phase::failed;
    s.pid = ::getpid();
    s.command = "up";
    s.attempt = 2;
    s.attempts = 3;
    s.services = {"postgresql", "redis-dapr"};
    s.service_states["postgresql"] = {true, 812, "SELECT 1 ok"};
    s.service_states["redis-dapr"] = {false, std::nullopt, "connection refused"};
    s.failure_code = 3;
    s.failure = "redis-dapr timed out";
    write_state(dir / "state.json", s);
    auto back = read_state(dir / "state.json");
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->phase, Phase::failed);
    EXPECT_EQ(back->attempt, 2);
    EXPECT_EQ(back->services, s.services);
    EXPECT_EQ(back->service_states["postgresql"].ready_after_ms, 812);
    EXPECT_FALSE(back->service_states["redis-dapr"].ready_after_ms.has_value());
    EXPECT_EQ(back->failure_code, 3);
    EXPECT_GT(back->updated_at_ms, 0);
    EXPECT_TRUE(writer_alive(*back));
}

TEST(State, MissingOrForeignFileReadsAsNothing) {
    envctl::test::TempDir dir;
    EXPECT_FALSE(read_state(dir / "none.json").has_value());
    dir.write("bad.json", "{not json");
    EXPECT_FALSE(read_state(dir / "bad.json").has_value());
    dir.write("odd.json", "{\"phase\": \"dancing\"}");
    EXPECT_FALSE(read_state(dir / "odd.json").has_value());
}

TEST(FailureReport, WritesJsonAndTextTwinsRedactedWithLatestLink) {
    envctl::test::TempDir dir;
    envctl::Redactor::global().add_secret("report-secret-xyz");
    FailureReport r;
    r.project = "p";
    r.command = "up";
    r.attempt = 1;
    r.attempts = 2;
    r.engine = "podman";
    ServiceFailure f;
    f.service = "web";
    f.kind = "timed_out";
    f.cause = "no answer within 3s";
    f.probes.push_back({120, "http://127.0.0.1:1/health", "not_ready", "HTTP 503", 4});
    f.log_tail = {"starting", "password is report-secret-xyz"};
    r.failures.push_back(f);
    auto path = write_failure_report(dir.path(), r);
    auto json = nlohmann::json::parse(envctl::files::read(path));
    EXPECT_EQ(json["schema"], "envctl.failure-report/v1");
    EXPECT_EQ(json["failures"][0]["service"], "web");
    EXPECT_EQ(json["failures"][0]["probes"][0]["detail"], "HTTP 503");
    auto text = envctl::files::read(std::filesystem::path(path).replace_extension(".txt"));
    EXPECT_NE(text.find("web (timed_out): no answer within 3s"), std::string::npos) << text;
    EXPECT_EQ(text.find("report-secret-xyz"), std::string::npos);
    EXPECT_EQ(json.dump().find("report-secret-xyz"), std::string::npos);
    EXPECT_EQ(std::filesystem::canonical(dir / "latest.json"), std::filesystem::canonical(path));
}

TEST(FailureReport, KeepsOnlyTheLastTwenty) {
    envctl::test::TempDir dir;
    FailureReport r;
    r.project = "p";
    r.command = "up";
    for (int i = 1; i <= 25; ++i) {
        r.attempt = i;
        write_failure_report(dir.path(), r);  // no pause: the attempt number keeps names distinct in one millisecond
    }
    int json = 0, txt = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        if (e.path().filename() == "latest.json") continue;
        json += e.path().extension() == ".json";
        txt += e.path().extension() == ".txt";
    }
    EXPECT_EQ(json, 20);
    EXPECT_EQ(txt, 20);
    EXPECT_NE(envctl::files::read(dir / "latest.json").find("\"attempt\": 25"), std::string::npos);
}
