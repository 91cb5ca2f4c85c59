#pragma once
// The probe kinds. Every one probes from the host against a published port, except `command`, which runs argv
// inside the service's container. Each returns a Probe whose attempt never throws.

#include <functional>
#include <string>
#include <vector>

#include "envctl/db/connection.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/health/probe.hpp"

namespace envctl::health {

struct HttpTarget {
    bool https = false;                // https: any certificate is accepted (the emulators' are self-signed)
    std::string host = "127.0.0.1";
    int port = 80;
    std::string path = "/";
    std::vector<int> expect_status{200};

    std::string url() const;           // "http://127.0.0.1:8181/health" ("[::1]" for IPv6 hosts)
};

// GET url: ok when the status is one of expect_status; anything else (another status, refused, reset, timeout,
// TLS error) is not_ready. Records the status code and a short body excerpt. libcurl, no proxy, no redirects.
Probe http_probe(const HttpTarget& target);

// Non-blocking TCP connect: ok once connected ("connected"); refused/unreachable/timeout are not_ready.
Probe tcp_probe(const std::string& host, int port);

// RESP `PING` over a socket: `+PONG` is ok; `-LOADING` and other errors are not_ready; `-NOAUTH` (a password is
// required) means the server answers, so it counts as ok.
Probe redis_probe(const std::string& host, int port);

// db::ping (connect + SELECT 1). Refused / "starting up" / timeout: not_ready. Authentication refused, or the
// role or database missing: failed (a data volume made with other credentials does not fix itself).
Probe postgres_probe(const db::ConnectionInfo& info);

// Runs argv in the service's container: exit 0 is ok; exit 126/127 (cannot run / not found) is failed; any other
// exit code, or the time running out, is not_ready.
using ExecFunction = std::function<engine::ExecResult(const std::string& service, const std::vector<std::string>& argv,
                                                      Deadline deadline)>;
Probe command_probe(const std::string& service, const std::vector<std::string>& argv, ExecFunction exec);

}  // namespace envctl::health
