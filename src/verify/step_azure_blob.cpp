// verify's `azure_blob` step: Azurite's Blob service with Shared Key authorization (the emulator's development
// account). round_trip creates the container, puts a blob of random bytes, reads it back byte-for-byte, deletes the
// blob and the container (the container also when a step in between fails); create only creates the container;
// delete removes the container and its blobs (a cleanup step: already gone is fine).
#include <random>

#include <fmt/format.h>

#include "envctl/verify/azure_clients.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::verify {
namespace {

using azure::Answer;

constexpr std::size_t kBlobBytes = 4096;

std::string random_bytes(std::size_t n) {
    static thread_local std::mt19937 random{std::random_device{}()};
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(random() & 0xff);
    return out;
}

// Where two byte strings first differ, for the detail.
std::string difference(const std::string& want, const std::string& got) {
    std::size_t i = 0;
    while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
    return fmt::format("read back {} bytes of {}, first difference at byte {}", got.size(), want.size(), i);
}

}  // namespace

Outcome run_azure_blob_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    const auto* key = env.settings ? env.settings->vars.find(step.key_variable) : nullptr;
    if (!key) return {false, step.key_variable + " is not set (the storage account key, in .env.development)"};
    azure::BlobService service{env.host, published_port(step, env), expand(step.account, env), *key};
    const std::string container = expand(step.container, env);
    const std::string where = fmt::format("container {} (Shared Key as {})", container, service.account);
    const azure::Headers as_container{{"restype", "container"}};
    auto call = [&](const std::string& method, const std::string& path, const azure::Headers& query,
                    const azure::Headers& headers = {}, const std::string& body = "") {
        return azure::blob_request(service, method, path, query, headers, body, deadline);
    };
    auto failed = [&](const std::string& what, const Answer& a) { return Outcome{false, fmt::format("{}: {}: {}", where, what, a.describe())}; };

    if (step.action == "delete") {
        const auto gone = call("DELETE", "/" + container, as_container);
        if (gone.status == 202) return {true, where + ": deleted"};
        if (gone.status == 404) return {true, where + ": not there (nothing to delete)"};
        return failed("delete", gone);
    }
    const auto created = call("PUT", "/" + container, as_container);
    if (created.status != 201) return failed("create", created);
    if (step.action == "create") return {true, where + ": created"};

    const std::string blob = "/" + container + "/" + container + ".bin";
    const std::string bytes = random_bytes(kBlobBytes);
    auto outcome = [&]() -> Outcome {
        const auto put = call("PUT", blob, {}, {{"x-ms-blob-type", "BlockBlob"}}, bytes);
        if (put.status != 201) return failed("put blob", put);
        const auto got = call("GET", blob, {});
        if (got.status != 200) return failed("get blob", got);
        if (got.body != bytes) return {false, fmt::format("{}: {}", where, difference(bytes, got.body))};
        const auto deleted = call("DELETE", blob, {});
        if (deleted.status != 202) return failed("delete blob", deleted);
        return {true, fmt::format("{}: created, a blob of {} random bytes put and read back byte-for-byte, blob deleted",
                                  where, bytes.size())};
    }();
    // The container goes whatever happened (its blob with it).
    const auto gone = call("DELETE", "/" + container, as_container);
    if (gone.status != 202) {
        outcome.ok = false;
        outcome.detail += fmt::format("; delete container: {}", gone.describe());
    } else if (outcome.ok) {
        outcome.detail += ", container deleted";
    }
    return outcome;
}

}  // namespace envctl::verify
