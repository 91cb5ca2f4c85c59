#pragma once
// A stack: the services and the profiles that select among them.

#include <map>
#include <string>
#include <vector>

#include "envctl/descriptors/service.hpp"

namespace envctl::descriptors {

struct Stack {
    std::vector<ServiceDescriptor> services;            // in declaration order
    std::map<std::string, std::vector<std::string>> profiles;

    const ServiceDescriptor* find(const std::string& name) const;
    const ServiceDescriptor& get(const std::string& name) const;  // throws usage error naming the service

    // The services of a profile, in declaration order; throws usage error for an unknown profile.
    std::vector<std::string> profile_services(const std::string& profile) const;
    // `names` plus their transitive dependencies, in declaration order.
    std::vector<std::string> with_dependencies(const std::vector<std::string>& names) const;
    // Dependency levels: level 0 has no dependencies inside `names`, level k depends only on levels < k.
    std::vector<std::vector<std::string>> levels(const std::vector<std::string>& names) const;
    // A copy holding only `names` (and their profiles pruned to them).
    Stack subset(const std::vector<std::string>& names) const;
};

}  // namespace envctl::descriptors
