#include "envctl/migrations/verified.hpp"

#include <nlohmann/json.hpp>

#include "envctl/migrations/schema_document.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/hash.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

std::optional<std::filesystem::path> record_file(const Config& config, const DatabaseTarget& target) {
    if (!config.cache_dir) return std::nullopt;
    return *config.cache_dir / ("verified-" + target.name + ".json");
}

}  // namespace

std::string verification_key(const Config& config, const DatabaseTarget& target,
                             const std::vector<MigrationFile>& files) {
    std::string material = "envctl-verified-v1\n" + config.admin.host + ":" + std::to_string(config.admin.port) +
                           "\n" + target.name + "\n" + target.owner + "\n";
    const auto document = schema_document_for(config.schema_docs_dir, target.name);
    std::error_code ec;
    material += std::filesystem::exists(document, ec) ? hash::sha256_hex(files::read(document)) : "no document";
    material += "\n";
    for (const auto& file : files) material += file.name + " " + file.checksum + "\n";
    return hash::sha256_hex(material);
}

std::optional<std::string> recorded_fingerprint(const Config& config, const DatabaseTarget& target,
                                                const std::string& key) {
    const auto file = record_file(config, target);
    std::error_code ec;
    if (!file || !std::filesystem::exists(*file, ec)) return std::nullopt;
    try {
        const auto record = nlohmann::json::parse(files::read(*file));
        if (record.at("key").get<std::string>() != key) return std::nullopt;
        return record.at("fingerprint").get<std::string>();
    } catch (const std::exception& e) {
        log::debug("ignoring the unreadable record {}: {}", file->string(), e.what());
        return std::nullopt;
    }
}

bool has_record(const Config& config, const DatabaseTarget& target) {
    const auto file = record_file(config, target);
    std::error_code ec;
    return file && std::filesystem::exists(*file, ec);
}

void record_verified(const Config& config, const DatabaseTarget& target, const std::string& key,
                     const std::string& fingerprint) {
    const auto file = record_file(config, target);
    if (!file || fingerprint.empty()) return;
    try {
        files::write_private(*file, nlohmann::json{{"key", key}, {"fingerprint", fingerprint}}.dump() + "\n");
    } catch (const std::exception& e) {
        log::debug("could not record the verified state in {}: {}", file->string(), e.what());
    }
}

void forget_verified(const Config& config, const DatabaseTarget& target) {
    const auto file = record_file(config, target);
    std::error_code ec;
    if (file) std::filesystem::remove(*file, ec);
}

}  // namespace envctl::migrations
