#pragma once
// The benchmark's stack: N busybox httpd services in 3 dependency levels (a third each: level 1 depends on the
// first service of level 0, level 2 on the first of level 1), on 127.0.0.1:base_port+i.

#include <filesystem>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/engine/service_spec.hpp"

namespace envctl::bench {

struct BenchStack {
    std::string project;
    int services = 20;
    int base_port = 25500;
    std::string image = "localhost/envctl/busybox:1.35";
    std::filesystem::path compose_file;

    std::vector<std::string> names() const;
    std::vector<std::vector<std::string>> levels() const;
    int port(int index) const { return base_port + index; }
    engine::ProjectSpec spec() const;
};

// The same stack as a compose file podman-compose runs (what the run file would hold).
std::string compose_yaml(const BenchStack& stack);

// Polls every port until each answers an HTTP request (any status), or the deadline passes. Returns the ports
// still not answering.
std::vector<int> wait_http(const std::vector<int>& ports, Deadline deadline);

}  // namespace envctl::bench
