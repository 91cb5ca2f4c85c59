#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "envctl/core/references.hpp"

namespace envctl::references {
namespace {

TEST(References, ParsesLiteralsAndEveryReferenceForm) {
    const auto pieces = parse("a${A}b$B${C:-x:1}${D-y}${E:?need E}${F?f}");
    ASSERT_EQ(pieces.size(), 8u);
    EXPECT_EQ(pieces[0].literal, "a");
    EXPECT_EQ(pieces[1].reference->name, "A");
    EXPECT_EQ(pieces[1].reference->modifier, Modifier::none);
    EXPECT_TRUE(pieces[1].reference->braced);
    EXPECT_EQ(pieces[2].literal, "b");
    EXPECT_EQ(pieces[3].reference->name, "B");
    EXPECT_FALSE(pieces[3].reference->braced);
    EXPECT_EQ(pieces[4].reference->modifier, Modifier::default_if_empty);
    EXPECT_EQ(pieces[4].reference->argument, "x:1");
    EXPECT_EQ(pieces[5].reference->modifier, Modifier::default_if_unset);
    EXPECT_EQ(pieces[6].reference->modifier, Modifier::error_if_empty);
    EXPECT_EQ(pieces[6].reference->argument, "need E");
    EXPECT_EQ(pieces[7].reference->modifier, Modifier::error_if_unset);
}

TEST(References, DollarEscapesAndMalformedReferencesAreLiteral) {
    const auto pieces = parse("$$A $${A} $1 ${ ${A:+x} ${A end$");
    ASSERT_EQ(pieces.size(), 1u);
    EXPECT_EQ(pieces[0].literal, "$A ${A} $1 ${ ${A:+x} ${A end$");
}

TEST(References, NamesInOrderOnceWithOrWithoutDefaults) {
    EXPECT_EQ(names("${B}${A:-x}$B ${C:?c} $${D}"), (std::vector<std::string>{"B", "A", "C"}));
    EXPECT_EQ(names("${B}${A:-x}$B ${C:?c}", false), (std::vector<std::string>{"B", "C"}));
}

TEST(References, WholeReferenceIsOneBracedReferenceAndNothingElse) {
    ASSERT_TRUE(whole_reference("${DB_PASSWORD}"));
    EXPECT_EQ(whole_reference("${DB_PASSWORD}")->name, "DB_PASSWORD");
    EXPECT_EQ(whole_reference("${P:?set P}")->modifier, Modifier::error_if_empty);
    EXPECT_FALSE(whole_reference("$DB_PASSWORD"));
    EXPECT_FALSE(whole_reference("x${DB_PASSWORD}"));
    EXPECT_FALSE(whole_reference("${A}${B}"));
    EXPECT_FALSE(whole_reference("secret"));
}

}  // namespace
}  // namespace envctl::references
