// The checks services declare in their descriptors (`verify:`), as verify Checks of one category.
#include "envctl/settings/connect_host.hpp"
#include "envctl/verify/steps.hpp"
#include "envctl/verify/suite.hpp"

namespace envctl::verify {
namespace {

using namespace std::chrono_literals;
constexpr Duration kCleanupTime = 5s;

}  // namespace

std::vector<Check> declared_checks(std::shared_ptr<const SuiteInputs> in, const std::string& category) {
    std::vector<Check> checks;
    for (const auto& service : in->services) {
        const auto found = in->declared.find(service);
        if (found == in->declared.end()) continue;
        for (const auto& declared : found->second) {
            if (declared.category != category) continue;
            checks.push_back({category, service, declared.name, [in, service, declared](Deadline deadline) {
                                  StepEnv env;
                                  env.settings = in->settings;
                                  env.service = service;
                                  env.host = settings::connect_host(in->settings->bind_address);
                                  if (in->engine)
                                      env.exec = [engine = in->engine](const std::string& s, const std::vector<std::string>& argv,
                                                                       Deadline d) { return engine->exec(s, argv, d); };
                                  env.connect = [settings = in->settings](const std::vector<ConnectTarget>& targets, Deadline d) {
                                      return connect_from_network(*settings, targets, d);
                                  };
                                  env.tcp_ports = [stack = in->stack](const std::string& s) {
                                      std::vector<int> ports;
                                      if (const auto* d = stack->find(s))
                                          for (const auto& p : d->ports)
                                              if (p.protocol == "tcp") ports.push_back(p.container);
                                      return ports;
                                  };
                                  return run_declared(declared, std::move(env), deadline, kCleanupTime);
                              },
                              skip_reason(*in, service)});
        }
    }
    return checks;
}

}  // namespace envctl::verify
