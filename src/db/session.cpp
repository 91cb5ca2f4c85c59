#include "envctl/db/session.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include <pqxx/pqxx>

#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"

namespace envctl::db {

SqlError::SqlError(ServerError error, std::string statement)
    : std::runtime_error(error.message), error_(std::move(error)), statement_(std::move(statement)) {}

namespace {

// Server notices ("NOTICE: ... skipping") go to the debug log instead of stderr.
class NoticeToLog : public pqxx::errorhandler {
public:
    using pqxx::errorhandler::errorhandler;
    bool operator()(const char msg[]) noexcept override {
        try {
            std::string text(msg);
            while (!text.empty() && text.back() == '\n') text.pop_back();
            log::debug("postgres: {}", text);
        } catch (...) {
        }
        return false;
    }
};

}  // namespace

struct Session::Impl {
    ConnectionInfo info;
    std::unique_ptr<pqxx::connection> conn;
    std::unique_ptr<NoticeToLog> notices;  // declared after conn: destroyed first

    // The guard: a thread that cancels the running statement on deadline or interrupt.
    std::mutex mutex;
    std::condition_variable wake;
    std::optional<Deadline> deadline;
    bool busy = false;
    bool cancel_sent = false;
    bool stop = false;
    std::thread guard;

    void watch() {
        std::unique_lock lock(mutex);
        while (!stop) {
            wake.wait_for(lock, std::chrono::milliseconds(50));
            if (stop || !busy || cancel_sent) continue;
            bool expired = deadline && Clock::now() >= *deadline;
            if (expired || interrupt::requested()) {
                cancel_sent = true;
                lock.unlock();
                try {
                    conn->cancel_query();
                } catch (const std::exception& e) {
                    log::debug("could not cancel the running statement: {}", e.what());
                }
                lock.lock();
            }
        }
    }

    Rows run(const std::string& sql, const std::vector<std::string>* params);
};

Session::Session(const ConnectionInfo& info) : impl_(std::make_unique<Impl>()) {
    impl_->info = info;
    try {
        impl_->conn = std::make_unique<pqxx::connection>(info.conninfo());
    } catch (const std::exception& e) {
        std::string why = e.what();
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        throw ConnectionError("cannot connect to PostgreSQL as " + info.describe() + ": " + why);
    }
    impl_->notices = std::make_unique<NoticeToLog>(*impl_->conn);
    impl_->guard = std::thread([impl = impl_.get()] { impl->watch(); });
}

Session::~Session() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stop = true;
    }
    impl_->wake.notify_all();
    if (impl_->guard.joinable()) impl_->guard.join();
}

Rows Session::Impl::run(const std::string& sql, const std::vector<std::string>* params) {
    {
        std::lock_guard lock(mutex);
        busy = true;
        cancel_sent = false;
    }
    struct Idle {
        Impl* impl;
        ~Idle() {
            std::lock_guard lock(impl->mutex);
            impl->busy = false;
        }
    } idle{this};

    try {
        pqxx::nontransaction tx(*conn);
        pqxx::result result = params ? tx.exec_params(sql, pqxx::prepare::make_dynamic_params(*params)) : tx.exec(sql);
        Rows rows;
        rows.reserve(result.size());
        for (const auto& r : result) {
            Row row;
            row.reserve(r.size());
            for (const auto& field : r) {
                if (field.is_null()) row.emplace_back(std::nullopt);
                else row.emplace_back(std::string(field.c_str(), field.size()));
            }
            rows.push_back(std::move(row));
        }
        return rows;
    } catch (const pqxx::syntax_error& e) {
        throw SqlError(parse_server_error(e.what(), sql, e.sqlstate(), e.error_position), sql);
    } catch (const pqxx::sql_error& e) {
        throw SqlError(parse_server_error(e.what(), sql, e.sqlstate(), -1), sql);
    } catch (const pqxx::broken_connection& e) {
        throw ConnectionError("lost the connection to PostgreSQL (" + info.describe() + "): " + e.what());
    }
}

Rows Session::query(const std::string& sql) { return impl_->run(sql, nullptr); }

Rows Session::query(const std::string& sql, const std::vector<std::string>& params) {
    return impl_->run(sql, &params);
}

void Session::set_deadline(std::optional<Deadline> deadline) {
    std::lock_guard lock(impl_->mutex);
    impl_->deadline = deadline;
}

std::optional<Deadline> Session::deadline() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->deadline;
}

std::string Session::quote_name(const std::string& identifier) const { return impl_->conn->quote_name(identifier); }

std::string Session::quote(const std::string& literal) const { return impl_->conn->quote(literal); }

int Session::server_version() const { return impl_->conn->server_version(); }

const ConnectionInfo& Session::info() const { return impl_->info; }

}  // namespace envctl::db
