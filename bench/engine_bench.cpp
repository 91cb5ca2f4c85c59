// envctl_engine_bench: drives the engines on the benchmark stack for bench/engines.sh, which times each call.
//
//   envctl_engine_bench compose-file  --dir D [--services N] [--base-port P] [--project NAME]
//   envctl_engine_bench up            --dir D --engine podman|podman-compose [...]
//       create every container, then start level by level, each level once the previous one answers HTTP
//   envctl_engine_bench down          --dir D [--volumes] [...]
//   envctl_engine_bench wait-ready    [--services N] [--base-port P]   (every port answers HTTP)
// Exit status 0 on success; errors on stderr.

#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "bench_stack.hpp"
#include "envctl/core/error.hpp"
#include "envctl/engine/podman_compose_engine.hpp"
#include "envctl/engine/podman_engine.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/interrupt.hpp"

namespace {

using namespace envctl;

struct Options {
    std::string command;
    std::string engine = "podman";
    bool volumes = false;
    std::filesystem::path dir = "bench/work";
    bench::BenchStack stack;
};

Options parse(int argc, char** argv) {
    Options o;
    o.stack.project = "enginebench";
    if (argc < 2) throw usage_error("usage: envctl_engine_bench compose-file|up|down|wait-ready [options]");
    o.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw usage_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--engine") o.engine = value();
        else if (a == "--project") o.stack.project = value();
        else if (a == "--services") o.stack.services = std::stoi(value());
        else if (a == "--base-port") o.stack.base_port = std::stoi(value());
        else if (a == "--dir") o.dir = value();
        else if (a == "--image") o.stack.image = value();
        else if (a == "--volumes") o.volumes = true;
        else throw usage_error("unknown option " + a);
    }
    o.stack.compose_file = std::filesystem::absolute(o.dir) / "run" / "compose.yml";
    return o;
}

std::unique_ptr<engine::Engine> make_engine(const Options& o) {
    engine::ProjectSpec spec = o.stack.spec();
    engine::EngineProject project{spec.project, spec.environment, spec.volume_names()};
    if (o.engine == "podman-compose") {
        engine::ComposeRun run;
        for (const auto& s : spec.services) run.expected_hashes[s.name] = s.config_hash;
        run.prepare_file = [file = o.stack.compose_file](std::map<std::string, std::string>&) { return file; };
        return std::make_unique<engine::PodmanComposeEngine>(std::move(project), std::move(run));
    }
    if (o.engine != "podman") throw usage_error("--engine must be podman or podman-compose");
    return std::make_unique<engine::PodmanEngine>(std::move(project), [spec] { return spec; });
}

std::vector<int> ports_of(const bench::BenchStack& stack, const std::vector<std::string>& names) {
    std::vector<int> ports;
    for (const auto& n : names) ports.push_back(stack.port(std::stoi(n.substr(3)) - 1));
    return ports;
}

void require_ready(const bench::BenchStack& stack, const std::vector<std::string>& names, Deadline deadline) {
    auto late = bench::wait_http(ports_of(stack, names), deadline);
    if (!late.empty()) throw Error(ExitCode::timed_out, fmt::format("{} services never answered", late.size()));
}

int run(const Options& o) {
    const Deadline deadline = Clock::now() + std::chrono::minutes(5);
    if (o.command == "compose-file") {
        files::write_atomic(o.stack.compose_file, bench::compose_yaml(o.stack));
        std::printf("%s\n", o.stack.compose_file.c_str());
    } else if (o.command == "up") {
        auto e = make_engine(o);
        auto t0 = Clock::now();
        auto ms = [](Clock::time_point from) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - from).count();
        };
        e->create(o.stack.names(), deadline);
        std::fprintf(stderr, "create %lld ms\n", static_cast<long long>(ms(t0)));
        for (const auto& level : o.stack.levels()) {
            auto t = Clock::now();
            e->start(level, deadline);
            auto started = ms(t);
            require_ready(o.stack, level, deadline);
            std::fprintf(stderr, "level of %zu: start %lld ms, ready %lld ms\n", level.size(),
                         static_cast<long long>(started), static_cast<long long>(ms(t)));
        }
    } else if (o.command == "down") {
        make_engine(o)->remove_all(o.volumes, deadline);
    } else if (o.command == "wait-ready") {
        require_ready(o.stack, o.stack.names(), deadline);
    } else {
        throw usage_error("unknown command " + o.command);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    envctl::interrupt::install_handlers();
    try {
        return run(parse(argc, argv));
    } catch (const envctl::Error& e) {
        std::fprintf(stderr, "envctl_engine_bench: %s\n", e.what());
        return envctl::to_int(e.code());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "envctl_engine_bench: %s\n", e.what());
        return 1;
    }
}
