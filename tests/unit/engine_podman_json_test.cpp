#include <string>

#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/engine/podman_json.hpp"

namespace envctl::engine {
namespace {

// Trimmed from real `podman ps -a --format json` output of podman 4.3.1.
const char* kPs = R"([
  {"Id": "51807e4db075", "Image": "localhost/envctl/busybox:1.35", "ExitCode": 0, "Exited": false,
   "Labels": {"com.docker.compose.service": "web1", "io.envctl.config-hash": "abc",
              "io.podman.compose.project": "p"},
   "Names": ["p_web1_1"], "StartedAt": 1795727518, "State": "running", "Status": "Up 1 second ago"},
  {"Id": "a44271da1bc3", "Image": "img", "ExitCode": 3, "Exited": true,
   "Labels": {"com.docker.compose.service": "web2"},
   "Names": ["p_web2_1"], "StartedAt": 1795727500, "State": "exited"},
  {"Id": "c1", "Image": "img", "ExitCode": 0, "Labels": null,
   "Names": ["p_web3_1"], "StartedAt": -62135596800, "State": "created"}
])";

TEST(EnginePodmanJson, ParsesServiceStateHashAndTimes) {
    auto cs = parse_ps_json(kPs);
    ASSERT_EQ(cs.size(), 3u);
    EXPECT_EQ(cs[0].service, "web1");
    EXPECT_EQ(cs[0].name, "p_web1_1");
    EXPECT_EQ(cs[0].id, "51807e4db075");
    EXPECT_EQ(cs[0].state, ContainerState::running);
    EXPECT_EQ(cs[0].config_hash, "abc");
    EXPECT_EQ(cs[0].image, "localhost/envctl/busybox:1.35");
    EXPECT_FALSE(cs[0].exit_code.has_value());
    ASSERT_TRUE(cs[0].started_at_ms.has_value());
    EXPECT_EQ(*cs[0].started_at_ms, 1795727518000);

    EXPECT_EQ(cs[1].state, ContainerState::exited);
    ASSERT_TRUE(cs[1].exit_code.has_value());
    EXPECT_EQ(*cs[1].exit_code, 3);
    EXPECT_EQ(cs[1].config_hash, "");

    EXPECT_EQ(cs[2].state, ContainerState::created);
    EXPECT_EQ(cs[2].service, "");
    EXPECT_FALSE(cs[2].started_at_ms.has_value());
}

TEST(EnginePodmanJson, EmptyListsAndNull) {
    EXPECT_TRUE(parse_ps_json("[]").empty());
    EXPECT_TRUE(parse_ps_json("null").empty());
}

TEST(EnginePodmanJson, MalformedOutputIsAnInternalError) {
    EXPECT_THROW(parse_ps_json("Error: something"), Error);
    EXPECT_THROW(parse_ps_json("{\"a\": 1}"), Error);
    EXPECT_THROW(parse_ps_json("[{\"Id\": 5}]"), Error);
    EXPECT_THROW(parse_ps_json("[5]"), Error);
}

TEST(EnginePodmanJson, States) {
    EXPECT_EQ(parse_state("created"), ContainerState::created);
    EXPECT_EQ(parse_state("running"), ContainerState::running);
    EXPECT_EQ(parse_state("exited"), ContainerState::exited);
    EXPECT_EQ(parse_state("stopped"), ContainerState::exited);
    EXPECT_EQ(parse_state("paused"), ContainerState::paused);
    EXPECT_EQ(parse_state("removing"), ContainerState::unknown);
    EXPECT_EQ(to_string(ContainerState::missing), "missing");
}

TEST(EnginePodmanJson, EntrypointArrayIsJson) {
    EXPECT_EQ(json_string_array({"/bin/sh", "-c", "echo \"hi\""}), R"(["/bin/sh","-c","echo \"hi\""])");
}

}  // namespace
}  // namespace envctl::engine
