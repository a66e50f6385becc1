// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Store.h"
#include "server/StoreMigrations.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

/// What SqlStore needs from a database: a connection ("session") with transactions and parameterised
/// statements, and the few things that differ between SQLite and PostgreSQL. Internal to the store.
/// SQL is written once, with $1, $2... placeholders (SQLite gets ?1, ?2...), booleans as true/false
/// literals or bound bool values, and no value ever spliced into the text.
namespace coffer::server {

/// A bound parameter. Booleans bind as 1/0 on SQLite and true/false on PostgreSQL.
using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string_view, bool>;

/// Why the last statement of a session failed, for the callers that react to it.
enum class SqlFailure {
    None,
    UniqueViolation, ///< a primary key or UNIQUE constraint refused the row (compare-and-append lost)
    Retryable,       ///< serialization failure or deadlock: the whole transaction may be run again
    Other,
};

/// One result row as text cells (NULL = nullopt). Read it left to right with the next*() calls; the
/// first cell that is not what the schema promises sets error() (Corrupt) and later reads return defaults.
class SqlRow {
public:
    explicit SqlRow(std::vector<std::optional<std::string>> cells)
        : m_cells(std::move(cells)) {}

    [[nodiscard]] std::string nextText();
    [[nodiscard]] std::optional<std::string> nextOptionalText();
    [[nodiscard]] std::int64_t nextInteger();
    /// A non-negative integer (seq, epoch, count).
    [[nodiscard]] std::uint64_t nextCount();
    [[nodiscard]] bool nextBool();
    [[nodiscard]] const std::optional<StoreError>& error() const noexcept { return m_error; }

private:
    const std::optional<std::string>* next();
    void fail(std::string_view what);

    std::vector<std::optional<std::string>> m_cells;
    std::size_t m_next = 0;
    std::optional<StoreError> m_error;
};

class SqlSession {
public:
    virtual ~SqlSession() = default;

    /// BEGIN (SQLite: BEGIN IMMEDIATE for a write, so the head read and the insert see no other writer).
    [[nodiscard]] virtual StoreResult<void> begin(bool write) = 0;
    [[nodiscard]] virtual StoreResult<void> commit() = 0;
    virtual void rollback() noexcept = 0;
    /// Runs a fixed multi-statement script (a migration); never a value in it.
    [[nodiscard]] virtual StoreResult<void> script(std::string_view sql) = 0;
    [[nodiscard]] virtual StoreResult<std::vector<SqlRow>> query(std::string_view sql,
                                                                 std::span<const SqlValue> params) = 0;
    /// Runs a statement and returns the number of rows it changed.
    [[nodiscard]] virtual StoreResult<std::uint64_t> execute(std::string_view sql,
                                                             std::span<const SqlValue> params) = 0;

    [[nodiscard]] SqlFailure lastFailure() const noexcept { return m_failure; }

protected:
    SqlFailure m_failure = SqlFailure::None;
};

/// A session lent by the database for one call; returned (or discarded, when broken) on destruction.
class SqlLease {
public:
    SqlLease(SqlSession* session, std::function<void(SqlSession*)> release)
        : m_session(session)
        , m_release(std::move(release)) {}
    SqlLease(SqlLease&& other) noexcept
        : m_session(std::exchange(other.m_session, nullptr))
        , m_release(std::move(other.m_release)) {}
    SqlLease& operator=(SqlLease&&) = delete;
    SqlLease(const SqlLease&) = delete;
    SqlLease& operator=(const SqlLease&) = delete;
    ~SqlLease() {
        if (m_session != nullptr && m_release) {
            m_release(m_session);
        }
    }

    SqlSession* operator->() const noexcept { return m_session; }
    SqlSession& operator*() const noexcept { return *m_session; }

private:
    SqlSession* m_session = nullptr;
    std::function<void(SqlSession*)> m_release;
};

/// A database that lends sessions to any thread (SQLite: one connection behind a mutex; PostgreSQL: a pool).
class SqlDatabase {
public:
    virtual ~SqlDatabase() = default;

    [[nodiscard]] virtual StoreResult<SqlLease> session() = 0;
    [[nodiscard]] virtual std::span<const Migration> migrations() const noexcept = 0;
    /// Run first in each migration transaction; serialises migrations across instances ("" when BEGIN
    /// IMMEDIATE already does).
    [[nodiscard]] virtual std::string_view migrationLockSql() const noexcept = 0;
    /// One row with one integer: 1 when the schema_version table exists.
    [[nodiscard]] virtual std::string_view versionTableExistsSql() const noexcept = 0;
    /// True when this process is the database's only writer for as long as it is open (SQLite with the
    /// instance lock): the store may then keep nonces and caches in memory and write behind.
    [[nodiscard]] virtual bool singleWriter() const noexcept { return false; }
};

[[nodiscard]] inline StoreError storeError(StoreErrorCode code, std::string detail) {
    return StoreError{code, std::move(detail)};
}

} // namespace coffer::server
