// SPDX-License-Identifier: Apache-2.0
#include "server/SqliteStore.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace coffer::server {
namespace {

constexpr int busyTimeoutMs = 5000;

std::string systemError(std::string_view what, const std::string& path, int error) {
    return std::string(what) + " " + path + ": " + std::strerror(error);
}

/// SQL is written with $N placeholders for PostgreSQL; SQLite's ?N binds the same index.
std::string toSqlitePlaceholders(std::string_view sql) {
    std::string out(sql);
    for (char& c : out) {
        if (c == '$') {
            c = '?';
        }
    }
    return out;
}

class SqliteSession final : public SqlSession {
public:
    explicit SqliteSession(sqlite3* db) noexcept
        : m_db(db) {}
    ~SqliteSession() override {
        for (auto& [sql, stmt] : m_cache) {
            sqlite3_finalize(stmt);
        }
        sqlite3_close_v2(m_db);
    }
    SqliteSession(const SqliteSession&) = delete;
    SqliteSession& operator=(const SqliteSession&) = delete;

    StoreResult<void> begin(bool write) override { return run(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
    StoreResult<void> commit() override { return run("COMMIT"); }
    void rollback() noexcept override {
        if (sqlite3_get_autocommit(m_db) == 0) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
    StoreResult<void> script(std::string_view sql) override { return run(std::string(sql)); }

    StoreResult<std::vector<SqlRow>> query(std::string_view sql, std::span<const SqlValue> params) override {
        auto stmt = prepare(sql, params);
        if (!stmt) {
            return std::unexpected(stmt.error());
        }
        std::vector<SqlRow> rows;
        for (;;) {
            const int rc = sqlite3_step(*stmt);
            if (rc == SQLITE_DONE) {
                break;
            }
            if (rc != SQLITE_ROW) {
                auto error = fail("query failed");
                sqlite3_reset(*stmt);
                return std::unexpected(error);
            }
            const int columns = sqlite3_column_count(*stmt);
            std::vector<std::optional<std::string>> cells;
            cells.reserve(static_cast<std::size_t>(columns));
            for (int i = 0; i < columns; ++i) {
                if (sqlite3_column_type(*stmt, i) == SQLITE_NULL) {
                    cells.emplace_back();
                    continue;
                }
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(*stmt, i));
                const int size = sqlite3_column_bytes(*stmt, i);
                cells.emplace_back(std::string(text != nullptr ? text : "", static_cast<std::size_t>(size)));
            }
            rows.emplace_back(std::move(cells));
        }
        sqlite3_reset(*stmt);
        return rows;
    }

    StoreResult<std::uint64_t> execute(std::string_view sql, std::span<const SqlValue> params) override {
        auto stmt = prepare(sql, params);
        if (!stmt) {
            return std::unexpected(stmt.error());
        }
        int rc = sqlite3_step(*stmt);
        while (rc == SQLITE_ROW) {
            rc = sqlite3_step(*stmt);
        }
        if (rc != SQLITE_DONE) {
            auto error = fail("statement failed");
            sqlite3_reset(*stmt);
            return std::unexpected(error);
        }
        sqlite3_reset(*stmt);
        return static_cast<std::uint64_t>(sqlite3_changes64(m_db));
    }

private:
    StoreResult<void> run(const std::string& sql) {
        m_failure = SqlFailure::None;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            return std::unexpected(fail("statement failed"));
        }
        return {};
    }

    StoreResult<sqlite3_stmt*> prepare(std::string_view sql, std::span<const SqlValue> params) {
        m_failure = SqlFailure::None;
        std::string key(sql);
        sqlite3_stmt* stmt = nullptr;
        if (auto it = m_cache.find(key); it != m_cache.end()) {
            stmt = it->second;
        } else {
            const std::string text = toSqlitePlaceholders(sql);
            if (sqlite3_prepare_v2(m_db, text.c_str(), static_cast<int>(text.size()), &stmt, nullptr) != SQLITE_OK) {
                return std::unexpected(fail("cannot prepare a statement"));
            }
            m_cache.emplace(std::move(key), stmt);
        }
        sqlite3_clear_bindings(stmt);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            int rc = SQLITE_OK;
            if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
                rc = sqlite3_bind_int64(stmt, index, *number);
            } else if (const auto* text = std::get_if<std::string_view>(&params[i])) {
                if (text->find('\0') != std::string_view::npos) { // refused as on PostgreSQL, which cannot store it
                    m_failure = SqlFailure::Other;
                    return std::unexpected(storeError(StoreErrorCode::Invalid, "text with a NUL byte"));
                }
                rc = sqlite3_bind_text64(stmt, index, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            } else if (const auto* flag = std::get_if<bool>(&params[i])) {
                rc = sqlite3_bind_int(stmt, index, *flag ? 1 : 0);
            } else {
                rc = sqlite3_bind_null(stmt, index);
            }
            if (rc != SQLITE_OK) {
                return std::unexpected(fail("cannot bind a parameter"));
            }
        }
        return stmt;
    }

    StoreError fail(std::string_view what) {
        const int code = sqlite3_extended_errcode(m_db);
        std::string detail = std::string(what) + ": " + sqlite3_errmsg(m_db);
        m_failure = SqlFailure::Other;
        switch (code & 0xff) {
        case SQLITE_CONSTRAINT:
            if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
                m_failure = SqlFailure::UniqueViolation;
            }
            return storeError(StoreErrorCode::Invalid, std::move(detail));
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_SCHEMA:
        case SQLITE_ERROR: // "no such table" and the like: the schema is not the one this build wrote
            return storeError(StoreErrorCode::Corrupt, std::move(detail));
        case SQLITE_TOOBIG:
        case SQLITE_MISMATCH:
        case SQLITE_RANGE:
            return storeError(StoreErrorCode::Invalid, std::move(detail));
        default: // BUSY, LOCKED, IOERR, FULL, CANTOPEN, READONLY, NOMEM...
            return storeError(StoreErrorCode::Unavailable, std::move(detail));
        }
    }

    sqlite3* m_db;
    std::unordered_map<std::string, sqlite3_stmt*> m_cache;
};

class SqliteDatabase final : public SqlDatabase {
public:
    SqliteDatabase(std::unique_ptr<SqliteSession> session, int lockFd) noexcept
        : m_session(std::move(session))
        , m_lockFd(lockFd) {}
    ~SqliteDatabase() override {
        m_session.reset();
        if (m_lockFd >= 0) {
            ::close(m_lockFd); // releases the flock
        }
    }
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    StoreResult<SqlLease> session() override {
        m_mutex.lock();
        return SqlLease(m_session.get(), [this](SqlSession*) { m_mutex.unlock(); });
    }
    std::span<const Migration> migrations() const noexcept override { return sqliteMigrations(); }
    std::string_view migrationLockSql() const noexcept override { return {}; }
    std::string_view versionTableExistsSql() const noexcept override {
        return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
    }
    bool singleWriter() const noexcept override { return m_lockFd >= 0; }

private:
    std::mutex m_mutex;
    std::unique_ptr<SqliteSession> m_session;
    int m_lockFd = -1;
};

/// Takes the single-instance lock; the descriptor holds it until closed.
StoreResult<int> takeInstanceLock(const std::string& path) {
    const std::string lockPath = path + ".lock";
    const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return std::unexpected(storeError(StoreErrorCode::Unavailable, systemError("cannot open", lockPath, errno)));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) {
            return std::unexpected(
                storeError(StoreErrorCode::Unavailable, path + " is in use by another coffer-server (" + lockPath +
                                                            " is locked); one instance serves a SQLite database, use "
                                                            "PostgreSQL for several"));
        }
        return std::unexpected(storeError(StoreErrorCode::Unavailable, systemError("cannot lock", lockPath, error)));
    }
    return fd;
}

/// Creates PATH owner-only before SQLite touches it (umask can only narrow 0600), and narrows an existing
/// file and its -wal/-shm to 0600: SQLite gives the -wal/-shm it creates the database file's mode.
StoreResult<void> prepareFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return std::unexpected(storeError(StoreErrorCode::Unavailable, systemError("cannot open", path, errno)));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return std::unexpected(storeError(StoreErrorCode::Unavailable, path + " is not a regular file"));
    }
    if ((info.st_mode & 0077) != 0 && ::fchmod(fd, 0600) != 0) {
        const int error = errno;
        ::close(fd);
        return std::unexpected(storeError(StoreErrorCode::Unavailable, systemError("cannot chmod", path, error)));
    }
    ::close(fd);
    for (const char* suffix : {"-wal", "-shm"}) {
        const std::string side = path + suffix;
        struct stat sideInfo {};
        if (::lstat(side.c_str(), &sideInfo) == 0 && S_ISREG(sideInfo.st_mode) && (sideInfo.st_mode & 0077) != 0 &&
            ::chmod(side.c_str(), 0600) != 0) {
            return std::unexpected(storeError(StoreErrorCode::Unavailable, systemError("cannot chmod", side, errno)));
        }
    }
    return {};
}

} // namespace

StoreResult<std::unique_ptr<SqlDatabase>> openSqliteDatabase(const std::string& path, bool instanceLock) {
    if (path.empty()) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, "sqlite: needs a file path (sqlite:PATH)"));
    }
    int lockFd = -1;
    if (instanceLock) {
        auto locked = takeInstanceLock(path);
        if (!locked) {
            return std::unexpected(locked.error());
        }
        lockFd = *locked;
    }
    auto unlockOnError = [&lockFd](StoreError error) {
        if (lockFd >= 0) {
            ::close(lockFd);
        }
        return std::unexpected(std::move(error));
    };
    if (auto prepared = prepareFile(path); !prepared) {
        return unlockOnError(prepared.error());
    }
    sqlite3* handle = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
    if (sqlite3_open_v2(path.c_str(), &handle, flags, nullptr) != SQLITE_OK) {
        std::string detail = "cannot open " + path + ": " + (handle != nullptr ? sqlite3_errmsg(handle) : "no memory");
        sqlite3_close_v2(handle);
        return unlockOnError(storeError(StoreErrorCode::Unavailable, std::move(detail)));
    }
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, busyTimeoutMs);
    auto session = std::make_unique<SqliteSession>(handle);
    // journal_mode answers with the mode in force; anything but "wal" (a read-only folder, a file that is
    // not a database) is refused rather than run without WAL.
    auto mode = session->query("PRAGMA journal_mode = WAL", {});
    if (!mode) {
        auto error = mode.error();
        if (error.code == StoreErrorCode::Corrupt) {
            error.detail = path + " is not a coffer-server database (" + error.detail + ")";
        }
        return unlockOnError(std::move(error));
    }
    if (mode->empty() || mode->front().nextText() != "wal") {
        return unlockOnError(storeError(StoreErrorCode::Unavailable, "cannot switch " + path + " to WAL"));
    }
    for (const char* pragma : {"PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        if (auto set = session->script(pragma); !set) {
            return unlockOnError(set.error());
        }
    }
    return std::make_unique<SqliteDatabase>(std::move(session), lockFd);
}

} // namespace coffer::server
