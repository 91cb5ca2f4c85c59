#include "envctl/orchestration/port_choice.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "envctl/core/duration.hpp"
#include "envctl/core/error.hpp"
#include "envctl/orchestration/lock_dir.hpp"
#include "envctl/preflight/ports.hpp"
#include "envctl/settings/port_plan.hpp"
#include "envctl/util/files.hpp"

namespace envctl::orchestration {
namespace {

constexpr const char* kRegistry = "ports-registry.json";

// The host-wide lock every port choice is made under (bounded wait: 30 s).
class PortsLock {
public:
    PortsLock() : dir_(current_lock_dir()) {
        const int dir_fd = open_lock_dir(dir_);
        fd_ = ::openat(dir_fd, "ports.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        const int saved = errno;
        ::close(dir_fd);
        if (fd_ < 0)
            throw Error(ExitCode::internal, "cannot open " + (dir_ / "ports.lock").string() + ": " + std::strerror(saved));
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK && errno != EINTR) {
                const int err = errno;
                ::close(fd_);
                throw Error(ExitCode::internal, "cannot lock " + (dir_ / "ports.lock").string() + ": " + std::strerror(err));
            }
            if (Clock::now() >= deadline) {
                ::close(fd_);
                throw Error(ExitCode::locked, "ENVCTL_PORTS=auto: the host's port choice lock " +
                                                  (dir_ / "ports.lock").string() + " stayed taken for 30s");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    ~PortsLock() { ::close(fd_); }  // closing releases the flock
    PortsLock(const PortsLock&) = delete;
    PortsLock& operator=(const PortsLock&) = delete;
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    int fd_ = -1;
};

// The registry: the choice files of every project of the host that holds auto ports.
std::set<std::string> read_registry(const std::filesystem::path& dir) {
    std::set<std::string> choices;
    std::ifstream in(dir / kRegistry);
    if (!in) return choices;
    std::stringstream text;
    text << in.rdbuf();
    auto doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (!doc.is_object() || !doc.contains("choices") || !doc["choices"].is_array()) return choices;
    for (const auto& f : doc["choices"])
        if (f.is_string()) choices.insert(f.get<std::string>());
    return choices;
}

void write_registry(const std::filesystem::path& dir, const std::set<std::string>& choices) {
    nlohmann::json doc = {{"schema", "envctl.ports-registry/v1"}, {"choices", choices}};
    files::write_private(dir / kRegistry, doc.dump(2) + "\n");
}

void write_choice(const settings::Settings& s, const std::map<std::string, int>& ports) {
    nlohmann::json doc = {{"schema", "envctl.ports/v1"}, {"project", s.project}, {"bind_address", s.bind_address},
                          {"ports", ports}};
    files::write_private(port_choice_file(s), doc.dump(2) + "\n");
}

void set_ports(settings::Settings& s, const std::map<std::string, int>& ports) {
    const settings::Origin origin{settings::Origin::Kind::auto_port, port_choice_file(s), 0};
    for (const auto& [name, port] : ports) s.vars.set(name, std::to_string(port), origin);
}

}  // namespace

std::vector<std::string> port_variables(const descriptors::Stack& stack) {
    std::vector<std::string> out;
    for (const auto& service : stack.services)
        for (const auto& p : service.ports)
            if (std::find(out.begin(), out.end(), p.variable) == out.end()) out.push_back(p.variable);
    return out;
}

std::filesystem::path port_choice_file(const settings::Settings& settings) { return settings.state_dir() / "ports.json"; }

std::map<std::string, int> read_port_choice(const std::filesystem::path& file) {
    std::map<std::string, int> out;
    std::ifstream in(file);
    if (!in) return out;
    std::stringstream text;
    text << in.rdbuf();
    auto doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (!doc.is_object() || !doc.contains("ports") || !doc["ports"].is_object()) return out;
    for (const auto& [name, port] : doc["ports"].items())
        if (port.is_number_integer() && port.get<int>() >= 1 && port.get<int>() <= 65535) out[name] = port.get<int>();
    return out;
}

void apply_auto_ports(settings::Settings& s, const std::vector<std::string>& variables, bool may_pick) {
    const auto file = port_choice_file(s);
    const auto recorded = read_port_choice(file);
    // A recorded choice stays in effect for every command of the project until `down`, unless this command says
    // ENVCTL_PORTS=fixed explicitly (process environment or --ports).
    const bool fixed_explicitly = !s.auto_ports && s.vars.origin("ENVCTL_PORTS").explicit_value();
    if (!s.auto_ports && (recorded.empty() || fixed_explicitly)) return;
    auto plan = settings::plan_ports(s.vars, variables, recorded);
    if (plan.to_pick.empty() || !may_pick) {
        set_ports(s, plan.recorded);
        return;
    }
    PortsLock lock;
    // Read again under the lock: another command of this project may have picked meanwhile.
    plan = settings::plan_ports(s.vars, variables, read_port_choice(file));
    auto registry = read_registry(lock.dir());
    std::set<int> taken;
    for (const auto& [name, port] : plan.explicit_ports) taken.insert(port);
    for (const auto& [name, port] : plan.recorded) taken.insert(port);
    const std::string own = std::filesystem::absolute(file).lexically_normal().string();
    for (auto it = registry.begin(); it != registry.end();) {
        std::error_code ec;
        if (*it != own && !std::filesystem::exists(*it, ec)) {  // released by deleting its state: forget it
            it = registry.erase(it);
            continue;
        }
        for (const auto& [name, port] : read_port_choice(*it)) taken.insert(port);
        ++it;
    }
    const settings::PortRange range{};
    const std::string address = s.bind_address;
    auto picked = settings::pick_ports(plan.to_pick.size(), taken,
                                       [&address](int port) { return preflight::port_free(address, port); }, range,
                                       settings::scan_start(s.project, range));
    auto chosen = plan.recorded;
    for (std::size_t i = 0; i < picked.size(); ++i) chosen[plan.to_pick[i]] = picked[i];
    write_choice(s, chosen);
    registry.insert(own);
    write_registry(lock.dir(), registry);
    set_ports(s, chosen);
}

bool release_ports(const settings::Settings& s) {
    const auto file = port_choice_file(s);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return false;
    PortsLock lock;
    std::filesystem::remove(file, ec);
    auto registry = read_registry(lock.dir());
    if (registry.erase(std::filesystem::absolute(file).lexically_normal().string()) != 0)
        write_registry(lock.dir(), registry);
    return true;
}

}  // namespace envctl::orchestration
