// verify's `sql` step: one statement as a named role (its password from a variable) on the service's published
// port; the rows it returns, or the SQLSTATE it fails with, against the expectation.
#include <algorithm>

#include <fmt/format.h>

#include "envctl/db/session.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::verify {
namespace {

std::string render(const db::Rows& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) {
        std::vector<std::string> cells;
        for (const auto& cell : row) cells.push_back(cell ? *cell : "~");
        out.push_back(fmt::format("[{}]", fmt::join(cells, ", ")));
    }
    return fmt::format("[{}]", fmt::join(out, ", "));
}

}  // namespace

Outcome run_sql_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    db::ConnectionInfo info;
    info.host = env.host;
    info.port = published_port(step, env);
    info.user = expand(step.user, env);
    const auto* password = env.settings ? env.settings->vars.find(step.password_variable) : nullptr;
    if (!password) return {false, step.password_variable + " is not set"};
    info.password = *password;
    info.database = expand(step.database, env);
    info.connect_timeout = std::clamp<Duration>(std::chrono::duration_cast<Duration>(remaining(deadline)),
                                                std::chrono::milliseconds(1), std::chrono::seconds(5));
    const std::string statement = expand(step.statement, env);
    const std::string who = fmt::format("as {} on {}", info.user, info.database);
    try {
        db::Session session(info);
        session.set_deadline(deadline);
        const auto rows = session.query(statement);
        if (!step.expect_sqlstate.empty())
            return {false, fmt::format("{}: succeeded, expected SQLSTATE {}", who, step.expect_sqlstate)};
        if (step.expect_rows) {
            db::Rows want;
            for (const auto& row : *step.expect_rows) {
                db::Row r;
                for (const auto& cell : row) r.push_back(cell == "~" ? std::nullopt : std::optional<std::string>(cell));
                want.push_back(std::move(r));
            }
            if (rows != want) return {false, fmt::format("{}: rows {} (expected {})", who, render(rows), render(want))};
        }
        return {true, fmt::format("{}: {} row(s)", who, rows.size())};
    } catch (const db::SqlError& e) {
        if (!step.expect_sqlstate.empty() && e.error().sqlstate == step.expect_sqlstate)
            return {true, fmt::format("{}: refused with SQLSTATE {} as expected", who, e.error().sqlstate)};
        return {false, fmt::format("{}: SQLSTATE {}: {}", who, e.error().sqlstate, e.error().message)};
    } catch (const db::ConnectionError& e) {
        return {false, fmt::format("{}: {}", who, e.what())};
    }
}

}  // namespace envctl::verify
