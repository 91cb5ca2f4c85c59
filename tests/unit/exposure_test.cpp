// Finding 17 of issue 14: a bind address other than loopback makes `up` warn, naming what it exposes.
#include <gtest/gtest.h>

#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/preflight/exposure.hpp"

namespace {

envctl::settings::Settings with_bind_address(const std::string& address) {
    envctl::settings::Settings s;
    s.bind_address = address;
    const envctl::settings::Origin o{};
    for (const auto& [k, v] : std::map<std::string, std::string>{
             {"REDIS_DAPR_PORT", "6379"}, {"VAULT_PORT", "8200"}, {"POSTGRES_PORT", "5432"}})
        s.vars.set(k, v, o);
    return s;
}

}  // namespace

TEST(Exposure, LoopbackAddresses) {
    using envctl::preflight::is_loopback;
    for (const char* a : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}) EXPECT_TRUE(is_loopback(a)) << a;
    for (const char* a : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "::ffff:10.0.0.1"}) EXPECT_FALSE(is_loopback(a)) << a;
}

TEST(Exposure, NonLoopbackNamesEveryPublishedServiceAndCallsOutTheUnauthenticated) {
    const auto& stack = envctl::descriptors::builtin_stack();
    const std::vector<std::string> services{"redis-dapr", "vault", "postgresql", "sql-edge"};
    EXPECT_FALSE(envctl::preflight::exposure_warning(with_bind_address("127.0.0.1"), stack, services).has_value());
    auto text = envctl::preflight::exposure_warning(with_bind_address("0.0.0.0"), stack, services);
    ASSERT_TRUE(text.has_value());
    EXPECT_NE(text->find("ENVCTL_BIND_ADDRESS=0.0.0.0 publishes 3 services"), std::string::npos) << *text;
    EXPECT_NE(text->find("Without authentication, anyone who reaches it can use: redis-dapr (6379)."), std::string::npos) << *text;
    EXPECT_NE(text->find("vault (8200, VAULT_DEV_ROOT_TOKEN_ID)"), std::string::npos) << *text;
    EXPECT_NE(text->find("postgresql (5432, POSTGRES_PASSWORD)"), std::string::npos) << *text;
    EXPECT_EQ(text->find("sql-edge"), std::string::npos) << "it publishes no port: " << *text;
}
