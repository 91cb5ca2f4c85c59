#include "envctl/descriptors/stack.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "envctl/core/error.hpp"

namespace envctl::descriptors {

std::string to_string(Group g) {
    switch (g) {
    case Group::dapr: return "dapr";
    case Group::core: return "core";
    case Group::identity: return "identity";
    case Group::observability: return "observability";
    }
    return "core";
}

std::string to_string(ProbeKind k) {
    switch (k) {
    case ProbeKind::http: return "http";
    case ProbeKind::https: return "https";
    case ProbeKind::tcp: return "tcp";
    case ProbeKind::postgres: return "postgres";
    case ProbeKind::redis: return "redis";
    case ProbeKind::command: return "command";
    }
    return "tcp";
}

std::optional<Group> parse_group(const std::string& s) {
    for (Group g : {Group::dapr, Group::core, Group::identity, Group::observability})
        if (to_string(g) == s) return g;
    return std::nullopt;
}

std::optional<ProbeKind> parse_probe_kind(const std::string& s) {
    for (ProbeKind k : {ProbeKind::http, ProbeKind::https, ProbeKind::tcp, ProbeKind::postgres, ProbeKind::redis,
                        ProbeKind::command})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

const ServiceDescriptor* Stack::find(const std::string& name) const {
    for (const auto& s : services)
        if (s.name == name) return &s;
    return nullptr;
}

const ServiceDescriptor& Stack::get(const std::string& name) const {
    if (const auto* s = find(name)) return *s;
    std::vector<std::string> known;
    for (const auto& s : services) known.push_back(s.name);
    throw usage_error(fmt::format("unknown service \"{}\": the stack has {}", name, fmt::join(known, ", ")));
}

std::vector<std::string> Stack::profile_services(const std::string& profile) const {
    auto it = profiles.find(profile);
    if (it == profiles.end()) {
        std::vector<std::string> known;
        for (const auto& [name, members] : profiles) known.push_back(name);
        throw usage_error(fmt::format("unknown profile \"{}\": the stack has {}", profile, fmt::join(known, ", ")));
    }
    std::set<std::string> wanted(it->second.begin(), it->second.end());
    std::vector<std::string> out;
    for (const auto& s : services)
        if (wanted.count(s.name)) out.push_back(s.name);
    return out;
}

std::vector<std::string> Stack::with_dependencies(const std::vector<std::string>& names) const {
    std::set<std::string> seen;
    std::vector<std::string> todo(names.begin(), names.end());
    while (!todo.empty()) {
        std::string name = todo.back();
        todo.pop_back();
        if (!seen.insert(name).second) continue;
        for (const auto& dep : get(name).depends_on) todo.push_back(dep);
    }
    std::vector<std::string> out;
    for (const auto& s : services)
        if (seen.count(s.name)) out.push_back(s.name);
    return out;
}

std::vector<std::vector<std::string>> Stack::levels(const std::vector<std::string>& names) const {
    std::set<std::string> selected(names.begin(), names.end());
    std::vector<const ServiceDescriptor*> pending;
    for (const auto& s : services)
        if (selected.count(s.name)) pending.push_back(&s);
    for (const auto& n : names) get(n);  // unknown names are an error, not silently dropped

    std::set<std::string> placed;
    std::vector<std::vector<std::string>> out;
    while (!pending.empty()) {
        std::vector<std::string> level;
        std::vector<const ServiceDescriptor*> rest;
        for (const auto* s : pending) {
            bool ready = std::all_of(s->depends_on.begin(), s->depends_on.end(), [&](const std::string& d) {
                return !selected.count(d) || placed.count(d);
            });
            if (ready)
                level.push_back(s->name);
            else
                rest.push_back(s);
        }
        if (level.empty())
            throw Error(ExitCode::internal, "dependency cycle among " + fmt::format("{}", fmt::join(names, ", ")));
        placed.insert(level.begin(), level.end());
        out.push_back(std::move(level));
        pending = std::move(rest);
    }
    return out;
}

Stack Stack::subset(const std::vector<std::string>& names) const {
    std::set<std::string> keep(names.begin(), names.end());
    for (const auto& n : names) get(n);
    Stack out;
    for (const auto& s : services) {
        if (!keep.count(s.name)) continue;
        ServiceDescriptor copy = s;
        std::erase_if(copy.depends_on, [&](const std::string& d) { return !keep.count(d); });
        out.services.push_back(std::move(copy));
    }
    for (const auto& [profile, members] : profiles) {
        std::vector<std::string> pruned;
        for (const auto& m : members)
            if (keep.count(m)) pruned.push_back(m);
        out.profiles[profile] = std::move(pruned);
    }
    return out;
}

}  // namespace envctl::descriptors
