#include "envctl/util/redactor.hpp"

#include <gtest/gtest.h>

using envctl::Redactor;

TEST(Redactor, RecognisesSecretNames) {
    for (const char* name : {"POSTGRES_PASSWORD", "AUTHENTIK_SECRET_KEY", "VAULT_DEV_ROOT_TOKEN", "API_KEY", "services_db_password"})
        EXPECT_TRUE(Redactor::is_secret_name(name)) << name;
    for (const char* name : {"POSTGRES_USER", "POSTGRES_PORT", "ENVCTL_PROJECT", "POSTGRES_DB"})
        EXPECT_FALSE(Redactor::is_secret_name(name)) << name;
}

TEST(Redactor, ReplacesEverySecretValueAndNothingElse) {
    Redactor r;
    r.add_secrets_from({{"POSTGRES_PASSWORD", "hunter22"}, {"POSTGRES_USER", "postgres"}, {"VAULT_DEV_ROOT_TOKEN", "root-tok"}});
    EXPECT_EQ(r.redact("user postgres password hunter22 token root-tok again hunter22"),
              "user postgres password *** token *** again ***");
}

TEST(Redactor, LongestSecretWinsWhenOneContainsAnother) {
    Redactor r;
    r.add_secret("abc");
    r.add_secret("abcdef");
    EXPECT_EQ(r.redact("x abcdef y abc"), "x *** y ***");
}

TEST(Redactor, ThePublicSettingsFileNameIsShownWholeWhereTheSecretIsElsewhereReplaced) {
    Redactor r;
    r.add_secrets_from({{"POSTGRES_PASSWORD", "development"}});
    r.add_public(".env.development");
    EXPECT_EQ(r.redact("raise MIGRATION_TIMEOUT in .env.development; password development"),
              "raise MIGRATION_TIMEOUT in .env.development; password ***");
    // A secret that starts before the public text is still replaced whole.
    r.add_secret("my.env");
    EXPECT_EQ(r.redact("pw my.env.development"), "pw ***.***");
    Redactor none;
    none.add_public(".env.development");
    EXPECT_EQ(none.redact("a .env.development b"), "a .env.development b");
}

TEST(Redactor, IgnoresTooShortValues) {
    Redactor r;
    r.add_secrets_from({{"SOME_KEY", "1"}});
    EXPECT_EQ(r.redact("port 1"), "port 1");
}
