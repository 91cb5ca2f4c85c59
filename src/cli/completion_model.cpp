#include "envctl/cli/completion.hpp"

#include <algorithm>

namespace envctl::cli {
namespace {

const OptionModel* find_option(const CommandModel& cmd, const CommandModel& root, const std::string& name) {
    for (const auto* c : {&cmd, &root})
        for (const auto& o : c->options)
            if (std::find(o.names.begin(), o.names.end(), name) != o.names.end()) return &o;
    return nullptr;
}

const CommandModel* find_subcommand(const CommandModel& cmd, const std::string& name) {
    for (const auto& s : cmd.subcommands)
        if (s.name == name) return &s;
    return nullptr;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

std::vector<std::string> complete(const CommandModel& root, const std::vector<std::string>& words,
                                  const std::string& current, const CompletionLookup& lookup) {
    const CommandModel* cmd = &root;
    const OptionModel* awaiting = nullptr;  // the option whose value comes next
    bool only_positionals = false;
    std::vector<std::string> named;         // positionals given so far
    for (const auto& w : words) {
        if (awaiting) {
            awaiting = nullptr;
            continue;
        }
        if (w == "--") {
            only_positionals = true;
        } else if (!only_positionals && w.size() > 1 && w[0] == '-') {
            const auto name = w.substr(0, w.find('='));
            const auto* option = find_option(*cmd, root, name);
            if (option && option->takes_value && w.find('=') == std::string::npos) awaiting = option;
        } else if (const auto* sub = named.empty() ? find_subcommand(*cmd, w) : nullptr) {
            cmd = sub;
        } else {
            named.push_back(w);
        }
    }

    std::vector<std::string> candidates;
    if (awaiting) {
        const auto& n = awaiting->names;
        if (std::find(n.begin(), n.end(), "--profile") != n.end() && lookup.profiles) candidates = lookup.profiles();
        else candidates = awaiting->choices;
    } else if (!only_positionals && !current.empty() && current[0] == '-') {
        for (const auto* c : {cmd, &root}) {
            for (const auto& o : c->options)
                for (const auto& name : o.names) candidates.push_back(name);
            if (c == &root) break;
        }
    } else if (!cmd->subcommands.empty() && named.empty()) {
        for (const auto& s : cmd->subcommands) candidates.push_back(s.name);
    } else if (cmd->takes_services && lookup.services) {
        for (const auto& s : lookup.services())
            if (std::find(named.begin(), named.end(), s) == named.end()) candidates.push_back(s);
    } else if (named.empty()) {
        candidates = cmd->positional_choices;
    }
    std::vector<std::string> out;
    for (const auto& c : candidates)
        if (starts_with(c, current) && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    return out;
}

}  // namespace envctl::cli
