// verify's amqp step with `auth: cbs` (what the Service Bus emulator takes) against a test peer implementing the
// documented calls (tests/support/cbs_test_peer.hpp): one put-token per entity on `$cbs` with the documented
// application properties and a SAS token whose signature the peer checks with OpenSSL on its own, the reply read by
// correlation, then the queue round trip on the same connection; a refused token and a peer that never answers.
// Service Bus itself (and its emulator) cannot run here: this is "validated against the documented API".
#include <gtest/gtest.h>

#include <chrono>

#include "envctl/verify/amqp_client.hpp"
#include "support/cbs_test_peer.hpp"

using namespace std::chrono_literals;
using envctl::test::CbsTestPeer;
namespace amqp = envctl::verify::amqp;

namespace {

const std::string kKeyName = "RootManageSharedAccessKey";
const std::string kKey = "SAS_KEY_VALUE";
const std::string kQueue = "services-commands";

amqp::Request request(const CbsTestPeer& peer, const std::string& key) {
    amqp::Request r;
    r.host = "127.0.0.1";
    r.port = peer.port();
    r.auth = amqp::Auth::cbs;
    r.key_name = kKeyName;
    r.key = key;
    r.send_address = r.receive_address = kQueue;
    r.id = "envctl-verify-cbs0001";
    return r;
}

long long epoch_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST(VerifyAmqpCbs, PutsADocumentedTokenForTheQueueThenSendsAndTakesTheMessageBack) {
    CbsTestPeer peer(kKeyName, kKey, {kQueue});
    const auto result = amqp::round_trip(request(peer, kKey), envctl::Clock::now() + 10s);
    EXPECT_TRUE(result.ok) << result.detail;
    EXPECT_TRUE(result.sent);
    EXPECT_TRUE(result.received);
    const auto tokens = peer.put_tokens();
    ASSERT_EQ(tokens.size(), 1u);  // one entity: the queue, sent to and received from
    const auto& t = tokens[0];
    EXPECT_EQ(t.operation, "put-token");
    EXPECT_EQ(t.type, "servicebus.windows.net:sastoken");
    EXPECT_EQ(t.name, "sb://127.0.0.1/" + kQueue);
    EXPECT_EQ(t.sr, t.name);
    EXPECT_EQ(t.skn, kKeyName);
    EXPECT_TRUE(t.signature_ok);
    EXPECT_FALSE(t.message_id.empty());
    EXPECT_FALSE(t.reply_to.empty());
    const auto expiry = std::stoll(t.se);
    EXPECT_GT(expiry, epoch_seconds() + 3000);  // about an hour, as the SDKs ask
    EXPECT_LT(expiry, epoch_seconds() + 4000);
    EXPECT_EQ(t.status, 202);
    EXPECT_EQ(peer.queued(kQueue), 0u);  // received and accepted: nothing left
    EXPECT_TRUE(peer.refused_links().empty());
}

TEST(VerifyAmqpCbs, ATokenSignedWithAnotherKeyIsRefusedAndNoMessageIsSent) {
    CbsTestPeer peer(kKeyName, kKey, {kQueue});
    const auto result = amqp::round_trip(request(peer, "not-the-key"), envctl::Clock::now() + 10s);
    EXPECT_FALSE(result.ok);
    EXPECT_FALSE(result.timed_out);
    EXPECT_FALSE(result.sent);
    EXPECT_NE(result.detail.find("put-token status 401"), std::string::npos) << result.detail;
    EXPECT_NE(result.detail.find(kKeyName), std::string::npos) << result.detail;
    EXPECT_EQ(result.detail.find("not-the-key"), std::string::npos) << result.detail;
    const auto tokens = peer.put_tokens();
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_FALSE(tokens[0].signature_ok);
    EXPECT_EQ(peer.queued(kQueue), 0u);
}

TEST(VerifyAmqpCbs, APeerThatNeverAnswersPutTokenEndsAtTheDeadlineNamingTheStage) {
    CbsTestPeer peer(kKeyName, kKey, {kQueue});
    peer.go_silent();
    const auto result = amqp::round_trip(request(peer, kKey), envctl::Clock::now() + 1500ms);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.timed_out);
    EXPECT_NE(result.detail.find("authorizing on $cbs"), std::string::npos) << result.detail;
    EXPECT_EQ(peer.queued(kQueue), 0u);
}
