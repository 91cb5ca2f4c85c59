#include "envctl/migrations/drift.hpp"

#include <map>

#include <fmt/format.h>

namespace envctl::migrations {

namespace {

std::string short_sum(const std::string& checksum) { return checksum.substr(0, 12); }

}  // namespace

Plan make_plan(const std::vector<db::LedgerEntry>& applied, const std::vector<MigrationFile>& files) {
    Plan plan;
    std::map<int, const MigrationFile*> on_disk;
    for (const auto& file : files) on_disk[file.version] = &file;

    std::map<int, const db::LedgerEntry*> in_ledger;
    for (const auto& entry : applied) {
        in_ledger[entry.version] = &entry;
        if (entry.version > plan.version) plan.version = entry.version;
        auto file = on_disk.find(entry.version);
        if (file == on_disk.end()) {
            plan.drift.push_back(fmt::format("{} was applied but is missing on disk", entry.name));
        } else if (file->second->name != entry.name) {
            plan.drift.push_back(fmt::format("version {:04} was applied as {} but the file on disk is {}",
                                             entry.version, entry.name, file->second->name));
        } else if (file->second->checksum != entry.checksum) {
            plan.drift.push_back(fmt::format("{} changed after it was applied (checksum {} applied, {} on disk)",
                                             entry.name, short_sum(entry.checksum),
                                             short_sum(file->second->checksum)));
        }
    }
    for (const auto& file : files) {
        if (in_ledger.count(file.version)) continue;
        if (file.version < plan.version)
            plan.drift.push_back(fmt::format("{} is new but numbered below the highest applied version {:04}",
                                             file.name, plan.version));
        plan.pending.push_back(file);
    }
    return plan;
}

}  // namespace envctl::migrations
