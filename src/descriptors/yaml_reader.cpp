#include "yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "envctl/core/error.hpp"

namespace envctl::descriptors::detail {

namespace {

std::string kind_name(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: return "nothing";
    }
    return "something else";
}

}  // namespace

std::string located_message(const Where& where, const std::string& path, const std::string& problem) {
    return fmt::format("{}:{}: {}: {}", where.file, where.line, path, problem);
}

Where Reader::where(const YAML::Node& node) const {
    const auto mark = node.Mark();
    return Where{file_, mark.is_null() ? 0 : mark.line + 1};
}

void Reader::fail(const YAML::Node& node, const std::string& path, const std::string& problem) const {
    throw usage_error(located_message(where(node), path, problem));
}

void Reader::require_map(const YAML::Node& node, const std::string& path,
                         std::initializer_list<const char*> allowed) const {
    if (!node.IsMap()) fail(node, path, "expected a mapping, found " + kind_name(node));
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) fail(it->first, path, "keys must be plain names");
        const std::string key = it->first.Scalar();
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
            fail(it->first, child(path, key),
                 fmt::format("unknown key (known keys: {})", fmt::join(allowed.begin(), allowed.end(), ", ")));
        if (!seen.insert(key).second) fail(it->first, child(path, key), "duplicate key");
    }
}

std::vector<std::pair<std::string, YAML::Node>> Reader::entries(const YAML::Node& node,
                                                                 const std::string& path) const {
    if (node.IsNull()) return {};
    if (!node.IsMap()) fail(node, path, "expected a mapping, found " + kind_name(node));
    std::vector<std::pair<std::string, YAML::Node>> out;
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) fail(it->first, path, "keys must be plain names");
        const std::string key = it->first.Scalar();
        if (!seen.insert(key).second) fail(it->first, child(path, key), "duplicate key");
        remember(child(path, key), it->first);
        out.emplace_back(key, it->second);
    }
    return out;
}

void Reader::require_sequence(const YAML::Node& node, const std::string& path) const {
    if (!node.IsSequence()) fail(node, path, "expected a list, found " + kind_name(node));
}

std::string Reader::text(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) fail(node, path, "expected a value, found " + kind_name(node));
    if (node.Scalar().empty()) fail(node, path, "must not be empty");
    return node.Scalar();
}

int Reader::integer(const YAML::Node& node, const std::string& path, int min, int max) const {
    const std::string s = text(node, path);
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || value < min || value > max)
        fail(node, path, fmt::format("\"{}\" is not a whole number from {} to {}", s, min, max));
    return value;
}

bool Reader::boolean(const YAML::Node& node, const std::string& path) const {
    const std::string s = text(node, path);
    if (s == "true") return true;
    if (s == "false") return false;
    fail(node, path, fmt::format("\"{}\" is not true or false", s));
}

Duration Reader::duration(const YAML::Node& node, const std::string& path) const {
    const std::string s = text(node, path);
    auto d = parse_duration(s);
    if (!d || d->count() <= 0) fail(node, path, fmt::format("\"{}\" is not a duration such as 500ms, 30s or 2m", s));
    return *d;
}

std::vector<std::string> Reader::texts(const YAML::Node& node, const std::string& path) const {
    require_sequence(node, path);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(text(node[i], item(path, i)));
    return out;
}

}  // namespace envctl::descriptors::detail
