#pragma once
// A small bounded pool: runs task(i) for every i in [0, count) on at most `limit` threads at once (each task
// typically one subprocess::run of podman). Returns when every task has finished.

#include <cstddef>
#include <exception>
#include <functional>
#include <vector>

namespace envctl::engine {

// 4 per core: podman calls mostly wait on the container runtime, not on envctl's CPU.
std::size_t default_parallelism();

// One entry per task: nullptr when it succeeded, else the exception it threw.
std::vector<std::exception_ptr> run_bounded(std::size_t count, std::size_t limit,
                                            const std::function<void(std::size_t)>& task);

// Rethrows when any task failed: a single failure as it is; several as one envctl::Error carrying the first
// failure's exit code and every message, one a line.
void rethrow_failures(const std::vector<std::exception_ptr>& failures);

// Runs both at once and rethrows as rethrow_failures() does.
void in_parallel(const std::function<void()>& first, const std::function<void()>& second);

}  // namespace envctl::engine
