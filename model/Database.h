// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/ModelError.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace coffer::model {

class Statement;

/// A thin owner of one SQLCipher connection. Not thread-safe: one connection per thread.
class Database {
public:
    Database() = default;
    explicit Database(sqlite3* handle) noexcept;
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    [[nodiscard]] bool isOpen() const noexcept { return m_db != nullptr; }
    [[nodiscard]] sqlite3* handle() const noexcept { return m_db; }
    void close() noexcept;

    /// Runs one or more statements without results.
    [[nodiscard]] Result<void> exec(std::string_view sql);
    /// Prepares one statement (cached per SQL text for the life of the connection).
    [[nodiscard]] Result<Statement> prepare(std::string_view sql);
    [[nodiscard]] std::int64_t lastInsertId() const noexcept;
    [[nodiscard]] int changes() const noexcept;

    /// Runs `body` in a transaction (a SAVEPOINT, so it nests); commits when it succeeds, rolls back
    /// when it returns an error. All-or-nothing for bulk operations.
    template <typename F> auto transaction(F&& body) -> decltype(body()) {
        const auto name = nextSavepoint();
        if (auto ok = begin(name); !ok) {
            return std::unexpected(ok.error());
        }
        auto result = body();
        if (result) {
            if (auto ok = commit(name); !ok) {
                rollback(name);
                return std::unexpected(ok.error());
            }
        } else {
            rollback(name);
        }
        return result;
    }

    /// Maps the connection's last error to an Error with `what` as context (never includes bound values).
    [[nodiscard]] Error lastError(std::string_view what) const;

private:
    [[nodiscard]] std::string nextSavepoint();
    [[nodiscard]] Result<void> begin(const std::string& name);
    [[nodiscard]] Result<void> commit(const std::string& name);
    void rollback(const std::string& name) noexcept;

    sqlite3* m_db = nullptr;
    int m_savepointDepth = 0;
    std::unordered_map<std::string, sqlite3_stmt*> m_cache;
};

/// A prepared statement borrowed from the connection's cache (Database::prepare). Bind with 1-based
/// indexes; step() returns true while there is a row. On destruction it is reset and its bindings are
/// cleared (sqlite3_clear_bindings), so no bound value lingers; the connection finalizes it on close().
class Statement {
public:
    Statement() = default;
    Statement(Database* db, sqlite3_stmt* stmt) noexcept;
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, const QString& text);
    Statement& bind(int index, std::string_view text);
    Statement& bindBlob(int index, std::span<const std::byte> bytes);
    Statement& bindNull(int index);

    /// true: a row is ready; false: done. Errors carry the statement's context.
    [[nodiscard]] Result<bool> step();
    /// step() expecting no row (INSERT/UPDATE/DELETE).
    [[nodiscard]] Result<void> run();

    [[nodiscard]] std::int64_t columnInt(int index) const;
    [[nodiscard]] QString columnText(int index) const;
    [[nodiscard]] bool columnIsNull(int index) const;
    /// A blob column copied into guarded memory (for secret values).
    [[nodiscard]] crypto::SecureBuffer columnSecret(int index) const;
    [[nodiscard]] std::int64_t columnBytes(int index) const;
    /// A blob column's bytes where SQLite holds them, valid until the next step() or the statement's end: for
    /// hashing a value in place. Never keep or copy a secret from it (columnSecret() copies safely).
    [[nodiscard]] std::span<const std::byte> columnView(int index) const;

private:
    Database* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace coffer::model
