// The fields of the Azure emulators' verify steps (azure_blob: Azurite's Blob service with Shared Key; cosmos:
// the Cosmos DB SQL API with the master key), validated like every other step.
#include <regex>

#include <fmt/format.h>

#include "envctl/util/redactor.hpp"
#include "value_rules.hpp"
#include "verify_parser.hpp"

namespace envctl::descriptors::detail {
namespace {

// A name made of literal text matching `rule` and ${VAR} references (resolved when the step runs).
std::string name_field(const Reader& r, const YAML::Node& n, const std::string& at, const char* key,
                       const std::regex& rule, const char* what) {
    const std::string path = child(at, key);
    std::string value = r.text(n[key], path);
    check_references(r, n[key], path, value);
    if (value.find("${") == std::string::npos && !std::regex_match(value, rule)) r.fail(n[key], path, what);
    return value;
}

}  // namespace

void parse_azure_step(const Reader& r, const YAML::Node& n, const std::string& at, VerifyStep& s) {
    const bool blob = s.kind == StepKind::azure_blob;
    const char* target = blob ? "container" : "database";
    for (const char* required : {"action", "key_variable", target})
        if (!n[required])
            r.fail(n, at, fmt::format("a {} step needs `{}` (action, {}, key_variable)", to_string(s.kind), required, target));
    s.action = r.text(n["action"], child(at, "action"));
    if (s.action != "round_trip" && s.action != "create" && s.action != "delete")
        r.fail(n["action"], child(at, "action"),
               fmt::format("round_trip (create the {0} and run the whole round trip in it), create (the {0} only) or "
                           "delete (a cleanup step)", target));
    s.key_variable = r.text(n["key_variable"], child(at, "key_variable"));
    check(r, n["key_variable"], child(at, "key_variable"), check_variable_name(s.key_variable));
    if (!Redactor::is_secret_name(s.key_variable))
        r.fail(n["key_variable"], child(at, "key_variable"),
               "the key is a secret: name its variable so (with KEY, SECRET, TOKEN or PASSWORD in it) and it is redacted");
    if (blob) {
        static const std::regex container("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
        s.container = name_field(r, n, at, "container", container,
                                 "a blob container's name is 3-63 lower-case letters, digits and hyphens (or ${VERIFY_ID})");
        if (n["account"]) {
            static const std::regex account("[a-z0-9]{3,24}");
            s.account = name_field(r, n, at, "account", account, "a storage account's name is 3-24 lower-case letters and digits");
        }
    } else {
        static const std::regex database("[^/\\\\?#]{1,255}");
        s.database = name_field(r, n, at, "database", database,
                                "a Cosmos DB database id is 1-255 characters without /, \\, ? or # (or ${VERIFY_ID})");
    }
}

}  // namespace envctl::descriptors::detail
