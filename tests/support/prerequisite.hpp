#pragma once
// A test that needs something outside the build (podman, PostgreSQL, docker-compose) calls REQUIRE_PREREQUISITE.
// In CI (CI=true) a missing prerequisite FAILS the test: CI installs everything, so absence is a CI bug.
// On a developer machine it skips with the reason, so the unit suite still runs anywhere.

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace envctl::test {

inline bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) != "" && std::string(ci) != "false" && std::string(ci) != "0";
}

}  // namespace envctl::test

#define REQUIRE_PREREQUISITE(condition, what)                                                   \
    do {                                                                                         \
        if (!(condition)) {                                                                      \
            if (::envctl::test::in_ci()) {                                                       \
                FAIL() << "prerequisite missing in CI: " << (what);                             \
            } else {                                                                             \
                GTEST_SKIP() << "prerequisite missing: " << (what) << " (fails under CI=true)"; \
            }                                                                                    \
        }                                                                                        \
    } while (0)
