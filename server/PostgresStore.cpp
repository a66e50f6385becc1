// SPDX-License-Identifier: Apache-2.0
#include "server/PostgresStore.h"

#include <libpq-fe.h>

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace coffer::server {
namespace {

// Enough for the API's worker threads; more only adds connections the database has to carry.
constexpr std::size_t maxConnections = 10;

struct ResultDeleter {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

/// libpq messages end with a newline and may span lines; the operator's log wants one line.
std::string oneLine(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    for (char& c : text) {
        if (c == '\n') {
            c = ' ';
        }
    }
    return text;
}

void ignoreNotice(void* /*arg*/, const char* /*message*/) {
    // "relation already exists, skipping" and the like would otherwise go to stderr, where the server
    // writes its JSON log lines.
}

class PostgresSession final : public SqlSession {
public:
    explicit PostgresSession(PGconn* connection) noexcept
        : m_conn(connection) {}
    ~PostgresSession() override { PQfinish(m_conn); }
    PostgresSession(const PostgresSession&) = delete;
    PostgresSession& operator=(const PostgresSession&) = delete;

    StoreResult<void> begin(bool /*write*/) override { return run("BEGIN"); }
    StoreResult<void> commit() override { return run("COMMIT"); }
    void rollback() noexcept override {
        if (PQstatus(m_conn) == CONNECTION_OK && PQtransactionStatus(m_conn) != PQTRANS_IDLE) {
            Result(PQexec(m_conn, "ROLLBACK"));
        }
    }
    StoreResult<void> script(std::string_view sql) override { return run(std::string(sql)); }

    StoreResult<std::vector<SqlRow>> query(std::string_view sql, std::span<const SqlValue> params) override {
        auto result = exec(sql, params);
        if (!result) {
            return std::unexpected(result.error());
        }
        PGresult* res = result->get();
        const int rowCount = PQntuples(res);
        const int columns = PQnfields(res);
        std::vector<SqlRow> rows;
        rows.reserve(static_cast<std::size_t>(rowCount));
        for (int r = 0; r < rowCount; ++r) {
            std::vector<std::optional<std::string>> cells;
            cells.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                if (PQgetisnull(res, r, c) != 0) {
                    cells.emplace_back();
                } else {
                    cells.emplace_back(
                        std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
                }
            }
            rows.emplace_back(std::move(cells));
        }
        return rows;
    }

    StoreResult<std::uint64_t> execute(std::string_view sql, std::span<const SqlValue> params) override {
        auto result = exec(sql, params);
        if (!result) {
            return std::unexpected(result.error());
        }
        const std::string_view tuples = PQcmdTuples(result->get());
        std::uint64_t changed = 0;
        if (!tuples.empty()) {
            std::from_chars(tuples.data(), tuples.data() + tuples.size(), changed);
        }
        return changed;
    }

    [[nodiscard]] bool broken() const noexcept { return PQstatus(m_conn) != CONNECTION_OK; }

    /// Leaves the connection idle for the next borrower (a body that returned early inside a transaction).
    void settle() noexcept { rollback(); }

private:
    StoreResult<void> run(const std::string& sql) {
        m_failure = SqlFailure::None;
        const bool idle = PQtransactionStatus(m_conn) == PQTRANS_IDLE;
        Result result(PQexec(m_conn, sql.c_str()));
        if (idle && PQstatus(m_conn) == CONNECTION_BAD) { // see exec(): BEGIN on a connection the server dropped
            PQreset(m_conn);
            if (PQstatus(m_conn) == CONNECTION_OK) {
                result.reset(PQexec(m_conn, sql.c_str()));
            }
        }
        if (auto ok = check(result.get()); !ok) {
            return std::unexpected(ok.error());
        }
        return {};
    }

    StoreResult<Result> exec(std::string_view sql, std::span<const SqlValue> params) {
        // A connection that sat idle while the server restarted fails on its next statement. Outside a
        // transaction, reconnect and run that statement once more: a statement sent on a dead socket
        // never ran. (One that died after committing answers the repeat like a second call would: a code
        // or nonce already used. The client's retry with a new nonce gets through.)
        const bool idle = PQtransactionStatus(m_conn) == PQTRANS_IDLE;
        auto result = execOnce(sql, params);
        if (!result && idle && PQstatus(m_conn) == CONNECTION_BAD) {
            PQreset(m_conn);
            if (PQstatus(m_conn) == CONNECTION_OK) {
                result = execOnce(sql, params);
            }
        }
        return result;
    }

    StoreResult<Result> execOnce(std::string_view sql, std::span<const SqlValue> params) {
        m_failure = SqlFailure::None;
        // Every value travels as a text parameter; the server parses it as the column's type.
        std::vector<std::string> storage(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
                storage[i] = std::to_string(*number);
            } else if (const auto* text = std::get_if<std::string_view>(&params[i])) {
                if (text->find('\0') != std::string_view::npos) { // libpq sends C strings
                    m_failure = SqlFailure::Other;
                    return std::unexpected(storeError(StoreErrorCode::Invalid, "text with a NUL byte"));
                }
                storage[i] = std::string(*text);
            } else if (const auto* flag = std::get_if<bool>(&params[i])) {
                storage[i] = *flag ? "true" : "false";
            } else {
                continue; // NULL
            }
            values[i] = storage[i].c_str();
        }
        const std::string text(sql);
        Result result(PQexecParams(m_conn, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                   nullptr, nullptr, 0));
        if (auto ok = check(result.get()); !ok) {
            return std::unexpected(ok.error());
        }
        return result;
    }

    StoreResult<void> check(PGresult* result) {
        const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            return {};
        }
        m_failure = SqlFailure::Other;
        const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
        const std::string sqlState = state != nullptr ? state : "";
        std::string detail = "PostgreSQL: " + oneLine(result != nullptr ? PQresultErrorMessage(result) : nullptr);
        if (result == nullptr || detail == "PostgreSQL: ") {
            detail = "PostgreSQL: " + oneLine(PQerrorMessage(m_conn));
        }
        if (sqlState == "23505") {
            m_failure = SqlFailure::UniqueViolation;
            return std::unexpected(storeError(StoreErrorCode::Invalid, std::move(detail)));
        }
        if (sqlState == "40001" || sqlState == "40P01") {
            m_failure = SqlFailure::Retryable;
            return std::unexpected(storeError(StoreErrorCode::Unavailable, std::move(detail)));
        }
        if (sqlState.starts_with("23") || sqlState.starts_with("22")) { // constraint, data exception
            return std::unexpected(storeError(StoreErrorCode::Invalid, std::move(detail)));
        }
        if (sqlState.starts_with("42")) { // undefined table or column: not the schema this build wrote
            return std::unexpected(storeError(StoreErrorCode::Corrupt, std::move(detail)));
        }
        return std::unexpected(storeError(StoreErrorCode::Unavailable, std::move(detail)));
    }

    PGconn* m_conn;
};

StoreResult<std::unique_ptr<PostgresSession>> connect(const std::string& url) {
    // Keywords before dbname are defaults the URL may override (expand_dbname processes it in place).
    const char* const keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* const values[] = {"10", "coffer-server", url.c_str(), nullptr};
    PGconn* connection = PQconnectdbParams(keywords, values, 1);
    if (connection == nullptr) {
        return std::unexpected(storeError(StoreErrorCode::Unavailable, "cannot connect to PostgreSQL: out of memory"));
    }
    if (PQstatus(connection) != CONNECTION_OK) {
        std::string detail = "cannot connect to PostgreSQL: " + oneLine(PQerrorMessage(connection));
        PQfinish(connection);
        return std::unexpected(storeError(StoreErrorCode::Unavailable, std::move(detail)));
    }
    PQsetNoticeProcessor(connection, ignoreNotice, nullptr);
    return std::make_unique<PostgresSession>(connection);
}

class PostgresDatabase final : public SqlDatabase {
public:
    PostgresDatabase(std::string url, std::unique_ptr<PostgresSession> first)
        : m_url(std::move(url)) {
        m_idle.push_back(std::move(first));
        m_open = 1;
    }
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;
    ~PostgresDatabase() override = default; // every lease is back: the Store outlives its calls

    StoreResult<SqlLease> session() override {
        std::unique_lock lock(m_mutex);
        m_available.wait(lock, [this] { return !m_idle.empty() || m_open < maxConnections; });
        std::unique_ptr<PostgresSession> session;
        if (!m_idle.empty()) {
            session = std::move(m_idle.back());
            m_idle.pop_back();
        } else {
            ++m_open;
            lock.unlock(); // connecting may take a while; other threads keep their idle connections
            auto connected = connect(m_url);
            if (!connected) {
                lock.lock();
                --m_open;
                m_available.notify_one();
                return std::unexpected(connected.error());
            }
            session = std::move(*connected);
        }
        return SqlLease(session.release(), [this](SqlSession* lent) { giveBack(static_cast<PostgresSession*>(lent)); });
    }

    std::span<const Migration> migrations() const noexcept override { return postgresMigrations(); }
    std::string_view migrationLockSql() const noexcept override {
        // One fixed key for "coffer-server schema migration", held until the transaction ends.
        return "SELECT pg_advisory_xact_lock(7236051947305484337)";
    }
    std::string_view versionTableExistsSql() const noexcept override {
        return "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
               "AND tablename = 'schema_version'";
    }

private:
    void giveBack(PostgresSession* lent) {
        std::unique_ptr<PostgresSession> session(lent);
        session->settle();
        std::lock_guard lock(m_mutex);
        if (session->broken()) {
            --m_open; // dropped; the next borrower connects afresh
        } else {
            m_idle.push_back(std::move(session));
        }
        m_available.notify_one();
    }

    std::string m_url;
    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<PostgresSession>> m_idle;
    std::size_t m_open = 0;
};

} // namespace

StoreResult<std::unique_ptr<SqlDatabase>> openPostgresDatabase(const std::string& url) {
    auto first = connect(url);
    if (!first) {
        return std::unexpected(first.error());
    }
    return std::make_unique<PostgresDatabase>(url, std::move(*first));
}

} // namespace coffer::server
