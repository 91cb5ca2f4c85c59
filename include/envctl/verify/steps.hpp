#pragma once
// verify's declared steps (descriptor `verify:`, verify_step.hpp) run against the environment: http, sql and redis
// from the host against the service's published port, connect from inside the project network, command in the
// service's container. Each step returns pass/fail with what it saw; it never throws for the service's answers.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/verify/check.hpp"
#include "envctl/verify/connect.hpp"

namespace envctl::verify {

struct StepEnv {
    const settings::Settings* settings = nullptr;
    std::string service;                       // the check's service
    std::string host = "127.0.0.1";            // where published ports are reached
    std::map<std::string, std::string> values;  // VERIFY_ID and values captured by earlier steps
    std::function<engine::ExecResult(const std::string& service, const std::vector<std::string>& argv, Deadline)> exec;
    std::function<ConnectRun(const std::vector<ConnectTarget>&, Deadline)> connect;
    std::function<std::vector<int>(const std::string& service)> tcp_ports;  // a service's container tcp ports
};

// `text` with every ${NAME} replaced: the step's values first, then the settings' variables. Throws
// std::runtime_error naming the variable when it is set nowhere.
std::string expand(const std::string& text, const StepEnv& env);
// The published port of the step's port_variable, as the settings give it.
int published_port(const descriptors::VerifyStep& step, const StepEnv& env);

Outcome run_http_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);
Outcome run_sql_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);
Outcome run_redis_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);
Outcome run_connect_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);
Outcome run_command_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);
Outcome run_amqp_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);
Outcome run_azure_blob_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);  // step_azure_blob.cpp
Outcome run_cosmos_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);      // step_cosmos.cpp
Outcome run_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline);

// A declared check as one function: its steps in order (the first failure ends them), then its cleanup steps on
// their own deadline (`cleanup_time` from when the steps ended, whether they passed, failed or ran out of time).
// ${VERIFY_ID} is a fresh envctl-verify-<random> for each run. What cleanup could not do is added to the detail.
Outcome run_declared(const descriptors::VerifyCheck& check, StepEnv env, Deadline deadline, Duration cleanup_time);

// "envctl-verify-<12 hex digits>".
std::string verify_object_name();
// The values every run of a declared check starts with: VERIFY_ID (`id`); VERIFY_TRACE_ID (32 hex digits, ending
// in the id's 12) and VERIFY_SPAN_ID (16), for OTLP; VERIFY_NOW_S, VERIFY_NOW_MS and VERIFY_NOW_NS (`now` since
// the Unix epoch); VERIFY_WINDOW_START_MS and VERIFY_WINDOW_END_MS (an hour before and after), for queries.
std::map<std::string, std::string> verify_run_values(const std::string& id, std::chrono::system_clock::time_point now);

}  // namespace envctl::verify
