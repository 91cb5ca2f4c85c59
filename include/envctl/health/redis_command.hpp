#pragma once
// One Redis command over RESP (verify's `redis` steps): sends argv as an array of bulk strings and reads one reply.

#include <string>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::health {

struct RedisReply {
    bool ok = false;      // a reply arrived (an error reply is still a reply)
    bool is_error = false;
    std::string text;     // simple/bulk string as is, integer as digits, nil "(nil)", array "[a, b]", error its message
    std::string failure;  // why no reply arrived (refused, timeout, ...)
};

RedisReply redis_command(const std::string& host, int port, const std::vector<std::string>& argv, Deadline deadline);

}  // namespace envctl::health
