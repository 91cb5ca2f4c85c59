#include "support/builtin_checks.hpp"

#include <optional>
#include <stdexcept>

namespace envctl::test {

const descriptors::VerifyCheck& builtin_check(const std::string& service, const std::string& name) {
    static const auto declared = descriptors::load_verify_checks(std::nullopt);
    for (const auto& c : declared.at(service))
        if (c.name == name) return c;
    throw std::runtime_error("no check " + service + "/" + name);
}

}  // namespace envctl::test
