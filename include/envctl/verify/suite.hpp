#pragma once
// The built-in checks of `envctl verify`, per category, built from what the command knows: the settings, the
// stack, which services the checks are listed for and which are selected, and the project's containers (listed
// once). A check of a service not selected or whose container is not running carries its skip reason.

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/health/probe.hpp"
#include "envctl/migrations/status.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/verify/check.hpp"

namespace envctl::verify {

struct SuiteInputs {
    const settings::Settings* settings = nullptr;
    const descriptors::Stack* stack = nullptr;
    std::vector<std::string> services;  // every service the checks are listed for (the profile's and the named)
    std::vector<std::string> selected;  // those the run checks
    std::vector<engine::ContainerInfo> containers;  // the project's, as listed before the run
    engine::Engine* engine = nullptr;               // the status probes' engine (command probes)
    std::function<health::Probe(const descriptors::ServiceDescriptor&)> make_probe;
    std::function<std::vector<migrations::DatabaseStatus>()> databases;  // empty: no database configured
    descriptors::DeclaredChecks declared;  // the checks the services' descriptors declare (`verify:`)
};

// Why a check of `service` does not run ("not selected", "no container", "container exited (exit code 1)"), or "".
std::string skip_reason(const SuiteInputs& in, const std::string& service);
// The running container of `service`, or nullptr.
const engine::ContainerInfo* running_container(const SuiteInputs& in, const std::string& service);

// environment: `ready` (the status probes) per service, `port VAR` per published port (podman's view against the
// settings), `connect` per service with ports (from a throwaway busybox container on the project network).
std::vector<Check> environment_checks(std::shared_ptr<const SuiteInputs> in);
// migrations: `database D` per database of POSTGRES_MULTIPLE_DATABASES (latest version, no drift, compliant).
std::vector<Check> migration_checks(std::shared_ptr<const SuiteInputs> in);
// migrations: `isolation D` per database: D's owner role connects to D and is refused (no CONNECT privilege) by
// every other database.
std::vector<Check> isolation_checks(std::shared_ptr<const SuiteInputs> in);

// dapr: `files` (the files under dapr/ parse and name only services of the stack), when a dapr service is listed.
std::vector<Check> dapr_checks(std::shared_ptr<const SuiteInputs> in);
// The checks of `category` the listed services declare in their descriptors (`verify:`, steps.hpp).
std::vector<Check> declared_checks(std::shared_ptr<const SuiteInputs> in, const std::string& category);

// One computation shared by several checks: the first caller computes it (by its deadline), the others wait and
// read the same value or the same error.
template <typename T>
class Shared {
public:
    explicit Shared(std::function<T(Deadline)> compute) : compute_(std::move(compute)) {}
    T get(Deadline deadline) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!value_ && !error_) {
            try {
                value_ = compute_(deadline);
            } catch (...) {
                error_ = std::current_exception();
            }
        }
        if (error_) std::rethrow_exception(error_);
        return *value_;
    }

private:
    std::mutex mutex_;
    std::function<T(Deadline)> compute_;
    std::optional<T> value_;
    std::exception_ptr error_;
};

}  // namespace envctl::verify
