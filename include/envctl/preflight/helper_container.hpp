#pragma once
// Throwaway helper containers (doctor's container check, verify's connectivity check): running podman within a
// step's limit and the caller's deadline, and the local busybox image the helper containers run.

#include <filesystem>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/preflight/check.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::preflight::detail {

struct Podman {
    subprocess::Environment environment;
    Deadline deadline;
    // `podman ARGS...` with a timeout of `step_limit`, or less when the check's deadline is nearer.
    subprocess::Result operator()(const std::vector<std::string>& args, Duration step_limit) const;
};

// podman's error for a failed call: stderr without podman's no-systemd warnings, else how it ended.
std::string podman_error(const subprocess::Result& r);

struct CheckImage {
    std::string name;   // the image the check's containers run
    bool made = false;  // made by this check: removed at the end
};

// kDoctorImage when present; else localhost/envctl-check/busybox:ID made from `busybox` (static) copied into an
// empty root and imported. `check` ("container image") says which, or why neither works.
CheckImage provide_image(const Podman& podman, const std::string& id, const std::filesystem::path& busybox, Check& check);

// True when `path` is an ELF executable without a program interpreter (it runs in an empty root).
bool is_static_executable(const std::filesystem::path& path);

}  // namespace envctl::preflight::detail
