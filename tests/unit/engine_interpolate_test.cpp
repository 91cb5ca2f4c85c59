#include <map>
#include <string>

#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/engine/interpolate.hpp"

namespace envctl::engine {
namespace {

std::string run(const std::string& text, const std::map<std::string, std::string>& vars) {
    return interpolate(
        text,
        [&vars](const std::string& name) -> const std::string* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : &it->second;
        },
        "test");
}

TEST(EngineInterpolate, PlainTextIsUnchanged) { EXPECT_EQ(run("a b:c/d", {}), "a b:c/d"); }

TEST(EngineInterpolate, BracedAndBareReferences) {
    std::map<std::string, std::string> vars{{"HOST", "db"}, {"PORT", "5432"}};
    EXPECT_EQ(run("postgres://${HOST}:$PORT/x", vars), "postgres://db:5432/x");
    EXPECT_EQ(run("${MISSING}|$MISSING|", vars), "||");
}

TEST(EngineInterpolate, DefaultWithColonAppliesToUnsetAndEmpty) {
    std::map<std::string, std::string> vars{{"EMPTY", ""}, {"SET", "v"}};
    EXPECT_EQ(run("${UNSET:-d}", vars), "d");
    EXPECT_EQ(run("${EMPTY:-d}", vars), "d");
    EXPECT_EQ(run("${SET:-d}", vars), "v");
    EXPECT_EQ(run("${ENVCTL_BIND_ADDRESS:-127.0.0.1}:${SET}:80", vars), "127.0.0.1:v:80");
}

TEST(EngineInterpolate, DefaultWithoutColonAppliesToUnsetOnly) {
    std::map<std::string, std::string> vars{{"EMPTY", ""}};
    EXPECT_EQ(run("${UNSET-d}", vars), "d");
    EXPECT_EQ(run("[${EMPTY-d}]", vars), "[]");
}

TEST(EngineInterpolate, RequiredVariableThrowsUsageErrorNamingIt) {
    std::map<std::string, std::string> vars{{"EMPTY", ""}, {"SET", "v"}};
    EXPECT_EQ(run("${SET:?needed}", vars), "v");
    EXPECT_EQ(run("[${EMPTY?needed}]", vars), "[]");
    try {
        run("${EMPTY:?give it a value}", vars);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("EMPTY give it a value"), std::string::npos) << e.what();
    }
    EXPECT_THROW(run("${UNSET?x}", vars), Error);
}

TEST(EngineInterpolate, DollarEscapesAndMalformedReferencesStayLiteral) {
    std::map<std::string, std::string> vars{{"A", "1"}};
    EXPECT_EQ(run("$$A $${A}", vars), "$A ${A}");
    EXPECT_EQ(run("$1 ${ $ ${A", vars), "$1 ${ $ ${A");
    EXPECT_EQ(run("${A:+x}", vars), "${A:+x}");
    EXPECT_EQ(run("end$", vars), "end$");
}

TEST(EngineInterpolate, DefaultMayContainColonsAndSlashes) {
    EXPECT_EQ(run("${URL:-http://x:1/a}", {}), "http://x:1/a");
}

}  // namespace
}  // namespace envctl::engine
