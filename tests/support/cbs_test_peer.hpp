#pragma once
// An AMQP 1.0 peer on 127.0.0.1 that implements the part of Azure Service Bus (and its emulator) that verify's amqp
// step uses with `auth: cbs`, as Microsoft documents it ("AMQP 1.0 in Azure Service Bus: request-response
// operations", "Claims-based authorization"): SASL ANONYMOUS; a `$cbs` node taking put-token requests (application
// properties operation=put-token, type=servicebus.windows.net:sastoken, name=<audience>; the body the SAS token)
// and answering on the link whose target is the request's reply-to with status-code 202 (401 for a token whose
// signature does not match the key), correlation-id the request's message-id; queues that only a connection
// holding a token for `sb://<host>/<queue>` may attach to (amqp:unauthorized-access otherwise). The token's
// signature is checked here with OpenSSL directly, not with envctl's sas_token(). Built on Qpid Proton (as the
// client is); its container runs on a thread of its own until the peer is destroyed.

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace envctl::test {

class CbsTestPeer {
public:
    // `key_name`/`key`: the SAS rule tokens must be signed with; `queues`: the entities it serves.
    CbsTestPeer(std::string key_name, std::string key, std::vector<std::string> queues);
    ~CbsTestPeer();
    CbsTestPeer(const CbsTestPeer&) = delete;
    CbsTestPeer& operator=(const CbsTestPeer&) = delete;

    int port() const;

    struct PutToken {
        std::string operation, type, name;  // application properties
        std::string reply_to, message_id;
        std::string sr, skn, se;            // the token's fields (sr and skn URL-decoded)
        bool signature_ok = false;          // sig == Base64(HMAC-SHA256(key, URL-encoded sr + "\n" + se))
        int status = 0;                     // what the peer answered
    };
    std::vector<PutToken> put_tokens() const;
    // Messages left on a queue (not accepted by a receiver).
    std::size_t queued(const std::string& queue) const;
    // Links refused for want of a token, by address.
    std::vector<std::string> refused_links() const;
    // Stops answering put-token requests (the request is taken, never answered): a client must end at its deadline.
    void go_silent();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace envctl::test
