// verify's amqp step kind: read and validated by the descriptor parser; the built-in Service Bus check sends to a
// queue that compose/service-bus/Config.json provisions, with the emulator's documented key name and a key from a
// secret variable of .env.development; the SAS token as Service Bus documents it (checked against a token computed
// independently, by Python's hmac/base64/urllib, for the same inputs).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/verify/amqp_client.hpp"
#include "support/test_paths.hpp"

using envctl::descriptors::StepKind;

namespace {

const std::string kHead = R"(mode: replace
services:
  bus:
    group: core
    image: busybox:1.36
    ports:
      - {variable: BUS_PORT, container: 5672}
    probe: {kind: tcp, port_variable: BUS_PORT}
    verify:
      - name: a
        category: azure
        steps:
)";

std::string read(const std::string& relative) {
    std::ifstream in(std::string(ENVCTL_REPO_ROOT) + "/" + relative);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string parse_error(const std::string& step) {
    try {
        envctl::descriptors::parse_stack(kHead + step, "t.yaml");
    } catch (const envctl::Error& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(VerifyAmqpStep, IsReadWithItsDefaults) {
    const auto declared = envctl::descriptors::parse_verify_checks(
        kHead + "          - {kind: amqp, queue: q1, key_name: RootManageSharedAccessKey, key_variable: BUS_KEY}\n"
                "          - {kind: amqp, queue: \"${QUEUE}\", key_name: \"${KEY_NAME}\", key_variable: BUS_KEY, auth: plain}\n",
        "t.yaml");
    const auto& steps = declared.at("bus").at(0).steps;
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0].kind, StepKind::amqp);
    EXPECT_EQ(steps[0].port_variable, "BUS_PORT");
    EXPECT_EQ(steps[0].queue, "q1");
    EXPECT_EQ(steps[0].key_name, "RootManageSharedAccessKey");
    EXPECT_EQ(steps[0].key_variable, "BUS_KEY");
    EXPECT_EQ(steps[0].auth, "cbs");
    EXPECT_EQ(steps[1].auth, "plain");
    EXPECT_EQ(to_string(StepKind::amqp), "amqp");
}

TEST(VerifyAmqpStep, ValidationErrorsNameFileLineAndKey) {
    std::string e = parse_error("          - {kind: amqp, key_name: k, key_variable: BUS_KEY}\n");
    EXPECT_TRUE(e.starts_with("t.yaml:13: services.bus.verify[0].steps[0]:")) << e;
    EXPECT_NE(e.find("an amqp step needs `queue`"), std::string::npos) << e;
    e = parse_error("          - {kind: amqp, queue: q, key_name: k, key_variable: BUS_KEY, auth: basic}\n");
    EXPECT_TRUE(e.starts_with("t.yaml:13: services.bus.verify[0].steps[0].auth:")) << e;
    EXPECT_NE(e.find("cbs"), std::string::npos) << e;
    e = parse_error("          - {kind: amqp, queue: q, key_name: k, key_variable: lower-case}\n");
    EXPECT_TRUE(e.starts_with("t.yaml:13: services.bus.verify[0].steps[0].key_variable:")) << e;
    e = parse_error("          - {kind: connect, queue: q}\n");
    EXPECT_NE(e.find("only amqp steps take `queue`"), std::string::npos) << e;
}

TEST(VerifyAmqpStep, TheServiceBusCheckSendsToAQueueOfConfigJsonWithTheDocumentedCredentials) {
    const auto declared = envctl::descriptors::load_verify_checks(std::nullopt);
    const auto& checks = declared.at("service-bus-emulator");
    const auto found = std::find_if(checks.begin(), checks.end(), [](const auto& c) { return c.name == "queue send receive"; });
    ASSERT_NE(found, checks.end());
    EXPECT_EQ(found->category, "azure");
    ASSERT_EQ(found->steps.size(), 1u);
    const auto& step = found->steps[0];
    EXPECT_EQ(step.kind, StepKind::amqp);
    EXPECT_EQ(step.port_variable, "SERVICE_BUS_PORT");
    EXPECT_EQ(step.auth, "cbs");  // what the SDKs do for UseDevelopmentEmulator=true
    EXPECT_EQ(step.key_name, "RootManageSharedAccessKey");

    const auto config = nlohmann::json::parse(read("compose/service-bus/Config.json"));
    std::vector<std::string> queues;
    for (const auto& ns : config.at("UserConfig").at("Namespaces"))
        for (const auto& q : ns.at("Queues")) queues.push_back(q.at("Name").get<std::string>());
    EXPECT_NE(std::find(queues.begin(), queues.end(), step.queue), queues.end()) << step.queue;

    // The key: the emulator's documented SAS_KEY_VALUE, from a variable whose name marks it a secret.
    EXPECT_NE(read(".env.development").find("\n" + step.key_variable + "=SAS_KEY_VALUE\n"), std::string::npos);
    EXPECT_TRUE(envctl::Redactor::is_secret_name(step.key_variable));
}

TEST(VerifyAmqpStep, SasTokenAsServiceBusDocumentsIt) {
    EXPECT_EQ(envctl::verify::amqp::sas_token("sb://127.0.0.1/services-commands", "RootManageSharedAccessKey",
                                              "SAS_KEY_VALUE", 1700000000),
              "SharedAccessSignature sr=sb%3A%2F%2F127.0.0.1%2Fservices-commands"
              "&sig=caqG%2BSM64qwxgOh5WE6tzLQTA1IH8YVmYCTBF9OrCHw%3D&se=1700000000&skn=RootManageSharedAccessKey");
}
