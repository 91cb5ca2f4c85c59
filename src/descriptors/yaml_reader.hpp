#pragma once
// Private to the stack parser: typed access to yaml-cpp nodes where every error names the file, the line and the
// key path ("services.postgresql.ports[0].variable"), and a record of where each checked item was declared, for
// the stack-level checks that run after stack files are merged (unknown dependency, cycle, profiles).

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "envctl/core/duration.hpp"

namespace envctl::descriptors::detail {

struct Where {
    std::string file;
    int line = 0;  // 1-based
};

// Key path -> where it was declared ("services.grafana.depends_on[1]", "profiles.core[0]", "services.grafana").
using SourceMap = std::map<std::string, Where>;

// "<file>:<line>: <path>: <problem>"; the one shape every descriptor error has.
std::string located_message(const Where& where, const std::string& path, const std::string& problem);

class Reader {
public:
    Reader(std::string file, SourceMap& sources) : file_(std::move(file)), sources_(sources) {}

    const std::string& file() const { return file_; }
    Where where(const YAML::Node& node) const;
    void remember(const std::string& path, const YAML::Node& node) const { sources_[path] = where(node); }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& problem) const;

    // A mapping whose keys are all in `allowed` (each at most once); anything else names the unknown key.
    void require_map(const YAML::Node& node, const std::string& path,
                     std::initializer_list<const char*> allowed) const;
    // A mapping with arbitrary (but unique, scalar) keys, in document order.
    std::vector<std::pair<std::string, YAML::Node>> entries(const YAML::Node& node, const std::string& path) const;
    void require_sequence(const YAML::Node& node, const std::string& path) const;

    std::string text(const YAML::Node& node, const std::string& path) const;  // a non-empty scalar
    int integer(const YAML::Node& node, const std::string& path, int min, int max) const;
    bool boolean(const YAML::Node& node, const std::string& path) const;
    Duration duration(const YAML::Node& node, const std::string& path) const;
    std::vector<std::string> texts(const YAML::Node& node, const std::string& path) const;  // a list of scalars

private:
    std::string file_;
    SourceMap& sources_;
};

// "services.x" + "ports" -> "services.x.ports"; "ports" + 2 -> "ports[2]".
inline std::string child(const std::string& path, const std::string& key) { return path + "." + key; }
inline std::string item(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

}  // namespace envctl::descriptors::detail
