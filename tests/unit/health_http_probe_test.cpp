// The http/https probe against a real scripted server on 127.0.0.1 (cpp-httplib).
#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "envctl/health/probes.hpp"
#include "envctl/util/redactor.hpp"
#include "support/http_test_server.hpp"
#include "support/pg_cluster.hpp"
#include "support/tcp_test_listener.hpp"
#include "support/temp_dir.hpp"

using namespace envctl;
using namespace envctl::health;
using envctl::test::HttpTestServer;
using envctl::test::ScriptedReply;
using std::chrono::milliseconds;

namespace {

HttpTarget target_for(int port, std::string path = "/health", std::vector<int> expect = {200}) {
    HttpTarget t;
    t.port = port;
    t.path = std::move(path);
    t.expect_status = std::move(expect);
    return t;
}

ProbeResult attempt(const HttpTarget& t, Duration timeout = milliseconds(2000)) {
    return run_attempt(http_probe(t), AttemptContext{timeout, nullptr});
}

}  // namespace

TEST(HttpProbe, ExpectedStatusIsOkWithStatusAndExcerpt) {
    HttpTestServer server;
    server.script({ScriptedReply{200, "{\"status\":\"healthy\"}"}});
    ProbeResult r = attempt(target_for(server.port(), "/v1/sys/health"));
    EXPECT_EQ(r.outcome, Outcome::ok);
    EXPECT_EQ(r.detail, "HTTP 200");
    EXPECT_EQ(r.http_status, 200);
    EXPECT_EQ(r.excerpt, "{\"status\":\"healthy\"}");
    EXPECT_EQ(r.target, "http://127.0.0.1:" + std::to_string(server.port()) + "/v1/sys/health");
    EXPECT_EQ(server.last_path(), "/v1/sys/health");
}

// The excerpt is kept to 120 bytes; a body whose 120th byte is the middle of a character must not leave half of it
// (nlohmann's dump throws on invalid UTF-8, which once left `up` stuck at "starting").
TEST(HttpProbe, ExcerptIsCutOnACharacterBoundaryAndIsValidUtf8) {
    HttpTestServer server;
    server.script({ScriptedReply{503, std::string(119, 'x') + "\xC3\xA9 and \xFF more"}});
    ProbeResult r = attempt(target_for(server.port()));
    EXPECT_EQ(r.excerpt, std::string(119, 'x'));
    EXPECT_NO_THROW((void)nlohmann::json(r.describe()).dump());
}

TEST(HttpProbe, UnexpectedStatusIsNotReady) {
    HttpTestServer server;
    server.script({ScriptedReply{503, "starting"}});
    ProbeResult r = attempt(target_for(server.port()));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "HTTP 503");
    EXPECT_EQ(r.describe(), "HTTP 503: starting");
}

TEST(HttpProbe, AnyListedStatusIsOk) {
    HttpTestServer server;
    server.script({ScriptedReply{429, "standby"}});
    EXPECT_EQ(attempt(target_for(server.port(), "/", {200, 429})).outcome, Outcome::ok);
    EXPECT_EQ(attempt(target_for(server.port(), "/", {200})).outcome, Outcome::not_ready);
}

TEST(HttpProbe, RedirectIsNotFollowed) {
    HttpTestServer server;
    server.script({ScriptedReply{302, ""}});
    ProbeResult r = attempt(target_for(server.port()));
    EXPECT_EQ(r.detail, "HTTP 302");
    EXPECT_EQ(server.requests(), 1);
}

TEST(HttpProbe, NothingListeningIsConnectionRefused) {
    ProbeResult r = attempt(target_for(envctl::test::free_port()));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "connection refused");
}

TEST(HttpProbe, SlowServerTimesOutWithinTheAttemptTimeout) {
    HttpTestServer server;
    server.script({ScriptedReply{200, "late", milliseconds(3000)}});
    ProbeResult r = attempt(target_for(server.port()), milliseconds(300));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "timeout after 300ms");
    EXPECT_LT(r.latency, milliseconds(2000));  // bounded by the 300 ms timeout, not the 3 s delay
}

TEST(HttpProbe, ConnectionDroppedMidReplyIsNotReady) {
    HttpTestServer server;
    server.script({ScriptedReply{200, "never sent", milliseconds(0), true}});
    ProbeResult r = attempt(target_for(server.port()));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_FALSE(r.http_status.has_value());
    EXPECT_EQ(r.detail, "connection closed mid-reply");
}

TEST(HttpProbe, ConnectionClosedWithoutReplyIsEmptyReply) {
    envctl::test::TcpTestListener listener;  // accepts, then closes at once
    ProbeResult r = attempt(target_for(listener.port()));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    // Closed with the request unread: curl sees either the close or the reset that follows it.
    EXPECT_TRUE(r.detail == "empty reply (connection closed)" || r.detail == "connection reset") << r.detail;
    EXPECT_GE(listener.accepted(), 1);
}

TEST(HttpProbe, ExcerptIsShortAndOnOneLine) {
    HttpTestServer server;
    std::string body = "line one\nline two\r\n\t" + std::string(5000, 'x');
    server.script({ScriptedReply{503, body}});
    ProbeResult r = attempt(target_for(server.port()));
    EXPECT_LE(r.excerpt.size(), 120u);
    EXPECT_EQ(r.excerpt.find('\n'), std::string::npos);
    EXPECT_EQ(r.excerpt.rfind("line one line two x", 0), 0u) << r.excerpt;
}

TEST(HttpProbe, SecretsInTheBodyAreRedacted) {
    Redactor::global().add_secret("probe-test-secret-42");
    HttpTestServer server;
    server.script({ScriptedReply{500, "bad password probe-test-secret-42"}});
    ProbeResult r = attempt(target_for(server.port()));
    EXPECT_EQ(r.excerpt.find("probe-test-secret-42"), std::string::npos);
    EXPECT_NE(r.excerpt.find("***"), std::string::npos);
}

TEST(HttpProbe, CancelEndsAHangingAttemptEarly) {
    HttpTestServer server;
    server.script({ScriptedReply{200, "late", milliseconds(5000)}});
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(milliseconds(200));
        cancel = true;
    });
    ProbeResult r = run_attempt(http_probe(target_for(server.port())), AttemptContext{milliseconds(4000), &cancel});
    canceller.join();
    EXPECT_EQ(r.detail, "cancelled");
    EXPECT_LT(r.latency, milliseconds(3000));
}

TEST(HttpProbe, UrlBracketsIpv6Hosts) {
    HttpTarget t = target_for(8181, "health");
    t.host = "::1";
    t.https = true;
    EXPECT_EQ(t.url(), "https://[::1]:8181/health");
}

TEST(HttpsProbe, SelfSignedCertificateIsAccepted) {
    envctl::test::TempDir dir;
    std::filesystem::path cert, key;
    std::string why_not;
    bool made = envctl::test::make_self_signed_certificate(dir.path(), cert, key, why_not);
    REQUIRE_PREREQUISITE(made, why_not);
    HttpTestServer server(cert, key);
    server.script({ScriptedReply{200, "ready"}});
    HttpTarget t = target_for(server.port(), "/ready");
    t.https = true;
    ProbeResult r = attempt(t);
    EXPECT_EQ(r.outcome, Outcome::ok) << r.describe();
    EXPECT_EQ(r.target, "https://127.0.0.1:" + std::to_string(server.port()) + "/ready");
    EXPECT_EQ(r.excerpt, "ready");

    t.https = false;  // plain HTTP to a TLS port: an answer that is not HTTP, never ok
    EXPECT_NE(attempt(t).outcome, Outcome::ok);
}

TEST(HttpsProbe, TlsToAPlainServerIsNotReady) {
    HttpTestServer server;
    HttpTarget t = target_for(server.port());
    t.https = true;
    ProbeResult r = attempt(t, milliseconds(1000));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_FALSE(r.detail.empty());
}
