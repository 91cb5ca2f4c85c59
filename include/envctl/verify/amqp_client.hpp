#pragma once
// An AMQP 1.0 round trip to a queue, over Qpid Proton (the one module that includes Proton's headers is
// src/verify/amqp_client.cpp): a message sent, received back and settled (accepted), so nothing is left behind.
//
// Two ways to authenticate, the two Azure Service Bus (and its emulator) documents:
//  - cbs: SASL ANONYMOUS, then a SAS token put on the `$cbs` node (claims-based security: operation put-token, type
//    servicebus.windows.net:sastoken, name = the entity's audience), which is what the official SDKs send for a
//    connection string with UseDevelopmentEmulator=true (plain TCP, no TLS);
//  - plain: SASL PLAIN with the SAS key name as user name and the key as password (what brokers such as RabbitMQ's
//    AMQP 1.0 plugin take).
// Proton's container runs on a thread of its own; by the deadline the container is stopped and the thread joined.

#include <string>

#include "envctl/core/duration.hpp"

namespace envctl::verify::amqp {

enum class Auth { cbs, plain };

struct Request {
    std::string host = "127.0.0.1";
    int port = 5672;
    Auth auth = Auth::cbs;
    std::string key_name;  // SharedAccessKeyName (cbs: the token's skn; plain: the user name)
    std::string key;       // SharedAccessKey (a secret: never in a result's detail)
    std::string send_address;     // the queue (or topic) messages are sent to
    std::string receive_address;  // the queue (or topic/Subscriptions/name) messages are received from
    std::string id;               // message-id and body of the message (envctl-verify-<random>)
    Duration ttl = std::chrono::minutes(5);  // the message expires on its own should even the cleanup fail
};

struct Result {
    bool ok = false;
    bool timed_out = false;  // the deadline passed first
    bool sent = false;       // the broker accepted the message
    bool received = false;   // the message came back and was accepted (settled): it is gone from the queue
    std::string detail;      // what happened (no secret in it)
};

// Sends `id` to send_address, receives it from receive_address and accepts it; messages of others seen on the way
// are released unchanged.
Result round_trip(const Request& request, Deadline deadline);
// Only the receiving half: takes `id` off receive_address (the cleanup after a failed round trip); not there by the
// deadline: timed_out.
Result take(const Request& request, Deadline deadline);

// A Service Bus SAS token for `resource_uri` (sb://host/entity) valid until `expiry` (seconds since the epoch):
// "SharedAccessSignature sr=<uri>&sig=<base64 HMAC-SHA256>&se=<expiry>&skn=<key name>", as documented for Service Bus.
std::string sas_token(const std::string& resource_uri, const std::string& key_name, const std::string& key, long long expiry);

}  // namespace envctl::verify::amqp
