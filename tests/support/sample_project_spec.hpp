#pragma once
// One service with every setting the native engine passes to podman, for the unit tests of its two ways of
// creating containers (create_args: a podman command line; container_spec_json: podman's API document).

#include "envctl/engine/service_spec.hpp"

namespace envctl::test {

inline engine::ProjectSpec sample_project_spec() {
    using namespace envctl::engine;
    ProjectSpec p;
    p.project = "enginetestargs";
    p.compose_file = "/nonexistent-envctl/run/compose.yml";
    ServiceSpec s;
    s.name = "web1";
    s.group = "core";
    s.image = "localhost/envctl/busybox:1.35";
    s.entrypoint = {"/bin/busybox"};
    s.command = {"httpd", "-f", "-p", "8080"};
    s.environment = {{"FOO", "dflt"}, {"BAR", "plain"}};
    s.ports = {PublishedPort{"127.0.0.1", 25999, 8080, "tcp"}, PublishedPort{"127.0.0.1", 25998, 53, "udp"}};
    s.volumes = {VolumeMount{"enginetestargs_data", "/data"}};
    s.mounts = {BindMount{"/srv/conf/x.txt", "/etc/x.txt", true}};
    s.healthcheck = Healthcheck{"wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1", "10s", "5s", "30s", 3};
    s.memory = "64M";
    s.cap_add = {"NET_ADMIN"};
    s.shm_size = "64m";
    s.user = "0:0";
    s.stop_signal = "SIGKILL";
    s.config_hash = "abc";
    p.services.push_back(s);
    return p;
}

}  // namespace envctl::test
