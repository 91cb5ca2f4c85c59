#include "stack_checks.hpp"

#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "envctl/core/error.hpp"

namespace envctl::descriptors::detail {

namespace {

[[noreturn]] void fail_at(const SourceMap& sources, const std::string& path, const std::string& problem) {
    auto it = sources.find(path);
    const Where where = it != sources.end() ? it->second : Where{"(stack)", 0};
    throw usage_error(located_message(where, path, problem));
}

std::string dependency_path(const std::string& service, std::size_t index) {
    return item(child("services." + service, "depends_on"), index);
}

void check_dependencies_exist(const Stack& stack, const SourceMap& sources) {
    for (const auto& s : stack.services)
        for (std::size_t i = 0; i < s.depends_on.size(); ++i)
            if (!stack.find(s.depends_on[i]))
                fail_at(sources, dependency_path(s.name, i),
                        fmt::format("{} depends on unknown service \"{}\"", s.name, s.depends_on[i]));
}

// Depth-first search; the first back edge found is reported with the whole cycle.
class CycleFinder {
public:
    CycleFinder(const Stack& stack, const SourceMap& sources) : stack_(stack), sources_(sources) {}

    void run() {
        for (const auto& s : stack_.services) visit(s.name);
    }

private:
    void visit(const std::string& name) {
        if (done_.count(name)) return;
        path_.push_back(name);
        on_path_.insert(name);
        const auto& deps = stack_.get(name).depends_on;
        for (std::size_t i = 0; i < deps.size(); ++i) {
            if (on_path_.count(deps[i])) {
                std::vector<std::string> cycle;
                bool in = false;
                for (const auto& p : path_) {
                    in = in || p == deps[i];
                    if (in) cycle.push_back(p);
                }
                cycle.push_back(deps[i]);
                fail_at(sources_, dependency_path(name, i),
                        fmt::format("dependency cycle: {}", fmt::join(cycle, " -> ")));
            }
            visit(deps[i]);
        }
        on_path_.erase(name);
        path_.pop_back();
        done_.insert(name);
    }

    const Stack& stack_;
    const SourceMap& sources_;
    std::vector<std::string> path_;
    std::set<std::string> on_path_;
    std::set<std::string> done_;
};

void check_profiles(const Stack& stack, const SourceMap& sources) {
    for (const auto& [profile, members] : stack.profiles) {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < members.size(); ++i) {
            const std::string at = item("profiles." + profile, i);
            if (!stack.find(members[i]))
                fail_at(sources, at, fmt::format("profile {} names unknown service \"{}\"", profile, members[i]));
            if (!seen.insert(members[i]).second)
                fail_at(sources, at, fmt::format("profile {} names {} twice", profile, members[i]));
        }
    }
}

void check_shared_volumes(const Stack& stack, const SourceMap& sources) {
    std::map<std::string, std::string> owner;
    for (const auto& s : stack.services)
        for (std::size_t i = 0; i < s.volumes.size(); ++i) {
            auto [it, inserted] = owner.emplace(s.volumes[i].name, s.name);
            if (!inserted)
                fail_at(sources, child(item(child("services." + s.name, "volumes"), i), "name"),
                        fmt::format("volume {} is already {}'s: each service owns its data volumes",
                                    s.volumes[i].name, it->second));
        }
}

}  // namespace

void check_stack(const Stack& stack, const SourceMap& sources) {
    check_dependencies_exist(stack, sources);
    CycleFinder(stack, sources).run();
    check_profiles(stack, sources);
    check_shared_volumes(stack, sources);
}

}  // namespace envctl::descriptors::detail
