// The tally of podman's pull stream (POST /images/create, podman 4.3's messages as it writes them).
#include <gtest/gtest.h>

#include "envctl/images/pull_progress.hpp"

using envctl::images::PullTally;
using nlohmann::json;

namespace {

json message(const std::string& line) { return json::parse(line); }

}  // namespace

TEST(PullTally, CountsBlobsAndTheBytesPodmanReported) {
    PullTally tally;
    EXPECT_EQ(tally.describe(), "pulling");
    EXPECT_FALSE(tally.add(message(R"({"status":"Pulling fs layer","progressDetail":{},"id":"aaaaaaaaaaaa"})")));
    EXPECT_FALSE(tally.add(message(R"({"status":"Pulling fs layer","progressDetail":{},"id":"bbbbbbbbbbbb"})")));
    EXPECT_EQ(tally.describe(), "pulling 0/2 blobs");
    tally.add(message(R"({"status":"Downloading","progressDetail":{"current":1500000,"total":30000000},)"
                      R"("progress":"[==>   ] 1.5MB/30MB","id":"aaaaaaaaaaaa"})"));
    EXPECT_EQ(tally.describe(), "pulling 0/2 blobs, 1.5 MB of 30.0 MB");
    tally.add(message(R"({"status":"Download complete","progressDetail":{},"id":"bbbbbbbbbbbb"})"));
    tally.add(message(R"({"status":"Download complete","progressDetail":{},"id":"aaaaaaaaaaaa"})"));
    EXPECT_EQ(tally.describe(), "pulling 2/2 blobs, 30.0 MB of 30.0 MB");
    // The result names the image: not a blob.
    EXPECT_FALSE(tally.add(message(R"({"status":"Download complete","progressDetail":{},"id":"cccccccccccc"})")));
    EXPECT_EQ(tally.describe(), "pulling 2/2 blobs, 30.0 MB of 30.0 MB");
    EXPECT_EQ(tally.bytes_done(), 30000000);
}

TEST(PullTally, SkippedBlobsAreDoneAndFailuresAreReturned) {
    PullTally tally;
    tally.add(message(R"({"status":"Pulling fs layer","progressDetail":{},"id":"aaaaaaaaaaaa"})"));
    tally.add(message(R"({"status":"Already exists","progressDetail":{},"id":"aaaaaaaaaaaa"})"));
    EXPECT_EQ(tally.describe(), "pulling 1/1 blobs");
    auto failure = tally.add(message(R"({"progressDetail":{},"errorDetail":{"message":"manifest unknown"},)"
                                     R"("error":"reading manifest 7 in 127.0.0.1:5000/library/redis: manifest unknown"})"));
    ASSERT_TRUE(failure);
    EXPECT_EQ(*failure, "reading manifest 7 in 127.0.0.1:5000/library/redis: manifest unknown");
    EXPECT_EQ(*tally.add(message(R"({"errorDetail":{"message":"only the detail"}})")), "only the detail");
    EXPECT_FALSE(tally.add(json::parse("[1, 2]")));
    EXPECT_FALSE(tally.add(json(nullptr)));
}
