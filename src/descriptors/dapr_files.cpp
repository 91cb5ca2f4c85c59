#include "envctl/descriptors/dapr_files.hpp"

#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "envctl/util/files.hpp"

namespace envctl::descriptors {
namespace {

namespace fs = std::filesystem;

struct Reading {
    const Stack& stack;
    std::string file;
    DaprFiles& out;

    void problem(const YAML::Node& node, const std::string& what) {
        out.problems.push_back(fmt::format("{}:{}: {}", file, node.Mark().is_null() ? 0 : node.Mark().line + 1, what));
    }

    // Every scalar "name:port" whose name looks like a service (lower-case, letters/digits/'-').
    void scan(const YAML::Node& node) {
        static const std::regex host_port(R"(([a-z][a-z0-9-]*):([0-9]{1,5}))");
        if (node.IsMap()) {
            for (const auto& kv : node) scan(kv.second);
        } else if (node.IsSequence()) {
            for (const auto& item : node) scan(item);
        } else if (node.IsScalar()) {
            std::smatch m;
            const std::string value = node.Scalar();
            if (!std::regex_match(value, m, host_port)) return;
            const std::string service = m[1].str();
            if (!stack.find(service))
                return problem(node, fmt::format("\"{}\" names {}, which is not a service of the stack", value, service));
            out.targets.push_back(value);
        }
    }

    void read(const std::string& text) {
        YAML::Node root;
        try {
            root = YAML::Load(text);
        } catch (const YAML::Exception& e) {
            out.problems.push_back(fmt::format("{}:{}: not valid YAML: {}", file, e.mark.is_null() ? 0 : e.mark.line + 1, e.msg));
            return;
        }
        if (!root.IsMap()) return problem(root, "not a Dapr resource (a mapping with apiVersion, kind, metadata)");
        const auto api = root["apiVersion"];
        if (!api || !api.IsScalar() || !api.Scalar().starts_with("dapr.io/"))
            problem(root, "apiVersion must be dapr.io/<version>");
        if (!root["kind"] || !root["kind"].IsScalar()) problem(root, "`kind` is missing (Component, Configuration, ...)");
        if (!root["metadata"] || !root["metadata"]["name"]) problem(root, "`metadata.name` is missing");
        scan(root);
    }
};

}  // namespace

DaprFiles check_dapr_files(const fs::path& dir, const Stack& stack) {
    DaprFiles out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        out.problems.push_back(dir.string() + ": no such folder");
        return out;
    }
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto ext = it->path().extension();
        if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) out.files.push_back(fs::relative(it->path(), dir).string());
    }
    std::sort(out.files.begin(), out.files.end());
    if (out.files.empty()) out.problems.push_back(dir.string() + ": no .yaml file");
    for (const auto& f : out.files) {
        Reading r{stack, (dir.filename() / f).string(), out};
        r.read(files::read(dir / f));
    }
    return out;
}

}  // namespace envctl::descriptors
