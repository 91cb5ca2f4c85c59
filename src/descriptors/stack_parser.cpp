// The one parser of stack documents (the built-in stack and --stack files) and the one validation path.
// yaml-cpp is used here (and by the descriptor tests) only.

#include "envctl/descriptors/stack_parser.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "envctl/builtin_stack_yaml.hpp"
#include "envctl/core/error.hpp"
#include "envctl/util/files.hpp"
#include "service_parser.hpp"
#include "stack_checks.hpp"
#include "value_rules.hpp"
#include "verify_parser.hpp"
#include "yaml_reader.hpp"

namespace envctl::descriptors {

namespace {

using detail::Reader;
using detail::SourceMap;

constexpr const char* kFullProfile = "full";
constexpr const char* kBuiltinName = "builtin_stack.yaml";

struct Document {
    bool replace = false;
    Stack stack;  // profiles as the document gives them (no implicit `full`)
    SourceMap sources;
    DeclaredChecks verify;  // service -> its `verify:` checks
};

YAML::Node load_yaml(std::string_view yaml, const std::string& source_name) {
    try {
        return YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw usage_error(fmt::format("{}:{}: not valid YAML: {}", source_name,
                                      e.mark.is_null() ? 0 : e.mark.line + 1, e.msg));
    }
}

Document parse_document(std::string_view yaml, const std::string& source_name) {
    Document doc;
    const YAML::Node root = load_yaml(yaml, source_name);
    Reader r(source_name, doc.sources);
    if (root.IsNull()) throw usage_error(source_name + ":1: the stack file is empty");
    r.require_map(root, "(top level)", {"mode", "services", "profiles"});

    if (root["mode"]) {
        const std::string mode = r.text(root["mode"], "mode");
        if (mode != "extend" && mode != "replace") r.fail(root["mode"], "mode", "extend or replace");
        doc.replace = mode == "replace";
    }
    if (root["services"]) {
        for (const auto& [name, node] : r.entries(root["services"], "services")) {
            const std::string path = "services." + name;
            if (auto problem = detail::check_service_name(name); !problem.empty()) r.fail(node, path, problem);
            doc.stack.services.push_back(detail::parse_service(r, name, node, path));
            if (node["verify"])
                doc.verify[name] = detail::parse_verify(r, node["verify"], path + ".verify", doc.stack.services.back().ports);
        }
    }
    if (root["profiles"]) {
        for (const auto& [name, node] : r.entries(root["profiles"], "profiles")) {
            const std::string path = "profiles." + name;
            if (auto problem = detail::check_service_name(name); !problem.empty())
                r.fail(node, path, "a profile name is lower-case letters, digits and '-'");
            if (name == kFullProfile)
                r.fail(node, path, "`full` is always every service of the stack and cannot be redefined");
            auto members = r.texts(node, path);
            for (std::size_t i = 0; i < members.size(); ++i) r.remember(detail::item(path, i), node[i]);
            doc.stack.profiles[name] = std::move(members);
        }
    }
    if (doc.replace && doc.stack.services.empty())
        r.fail(root, "services", "a `mode: replace` stack needs at least one service");
    return doc;
}

// Drops every source entry of `prefix` ("services.x" and "services.x.*").
void forget(SourceMap& sources, const std::string& prefix) {
    for (auto it = sources.begin(); it != sources.end();) {
        const std::string& key = it->first;
        bool under = key == prefix || key.starts_with(prefix + ".") || key.starts_with(prefix + "[");
        it = under ? sources.erase(it) : std::next(it);
    }
}

// `extend`: the file's services replace same-named ones in place or are appended; its profiles are added (or
// replace same-named ones).
Document merge(Document base, const Document& file) {
    for (const auto& s : file.stack.services) {
        auto it = std::find_if(base.stack.services.begin(), base.stack.services.end(),
                               [&](const ServiceDescriptor& b) { return b.name == s.name; });
        if (it != base.stack.services.end())
            *it = s;
        else
            base.stack.services.push_back(s);
        forget(base.sources, "services." + s.name);
        base.verify.erase(s.name);
        if (auto declared = file.verify.find(s.name); declared != file.verify.end()) base.verify[s.name] = declared->second;
    }
    for (const auto& [name, members] : file.stack.profiles) {
        base.stack.profiles[name] = members;
        forget(base.sources, "profiles." + name);
    }
    for (const auto& [path, where] : file.sources) base.sources[path] = where;
    return base;
}

Stack finish(Document doc) {
    std::vector<std::string> all;
    for (const auto& s : doc.stack.services) all.push_back(s.name);
    doc.stack.profiles[kFullProfile] = all;
    detail::check_stack(doc.stack, doc.sources);
    return std::move(doc.stack);
}

const Document& builtin_document() {
    static const Document doc = [] {
        try {
            return parse_document(kBuiltinStackYaml, kBuiltinName);
        } catch (const Error& e) {
            throw Error(ExitCode::internal, std::string("the built-in stack is invalid: ") + e.what());
        }
    }();
    return doc;
}

}  // namespace

Stack parse_stack(std::string_view yaml, const std::string& source_name) {
    return finish(parse_document(yaml, source_name));
}

const Stack& builtin_stack() {
    static const Stack stack = [] {
        try {
            return finish(builtin_document());
        } catch (const Error& e) {
            throw Error(ExitCode::internal, std::string("the built-in stack is invalid: ") + e.what());
        }
    }();
    return stack;
}

DeclaredChecks parse_verify_checks(std::string_view yaml, const std::string& source_name) {
    return parse_document(yaml, source_name).verify;
}

DeclaredChecks load_verify_checks(const std::optional<std::filesystem::path>& stack_file) {
    if (!stack_file) return builtin_document().verify;
    const Document file = parse_document(files::read(*stack_file), stack_file->string());
    if (file.replace) return file.verify;
    return merge(builtin_document(), file).verify;
}

Stack load_stack(const std::optional<std::filesystem::path>& stack_file) {
    if (!stack_file) return builtin_stack();
    const Document file = parse_document(files::read(*stack_file), stack_file->string());
    if (file.replace) return finish(file);
    return finish(merge(builtin_document(), file));
}

}  // namespace envctl::descriptors
