// SPDX-License-Identifier: Apache-2.0
#include "model/Database.h"

#include <sqlcipher/sqlite3.h>

#include <cstring>
#include <utility>

namespace coffer::model {

Database::Database(sqlite3* handle) noexcept
    : m_db(handle) {}

Database::~Database() {
    close();
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_savepointDepth(std::exchange(other.m_savepointDepth, 0))
    , m_cache(std::move(other.m_cache)) {
    other.m_cache.clear();
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_savepointDepth = std::exchange(other.m_savepointDepth, 0);
        m_cache = std::move(other.m_cache);
        other.m_cache.clear();
    }
    return *this;
}

void Database::close() noexcept {
    for (auto& [sql, stmt] : m_cache) {
        sqlite3_finalize(stmt);
    }
    m_cache.clear();
    if (m_db != nullptr) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
    m_savepointDepth = 0;
}

Result<void> Database::exec(std::string_view sql) {
    Q_ASSERT(m_db != nullptr);
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return std::unexpected(lastError("statement failed"));
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
    Q_ASSERT(m_db != nullptr);
    std::string key(sql);
    if (auto it = m_cache.find(key); it != m_cache.end()) {
        return Statement(this, it->second);
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, key.c_str(), static_cast<int>(key.size()), &stmt, nullptr) != SQLITE_OK) {
        return std::unexpected(lastError("cannot prepare statement"));
    }
    m_cache.emplace(std::move(key), stmt);
    return Statement(this, stmt);
}

std::int64_t Database::lastInsertId() const noexcept {
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const noexcept {
    return sqlite3_changes(m_db);
}

Error Database::lastError(std::string_view what) const {
    const int code = m_db != nullptr ? sqlite3_extended_errcode(m_db) : SQLITE_MISUSE;
    const QString detail =
        QStringLiteral("%1: %2").arg(QString::fromUtf8(what.data(), static_cast<qsizetype>(what.size())),
                                     QString::fromUtf8(m_db != nullptr ? sqlite3_errmsg(m_db) : "closed"));
    switch (code & 0xff) {
    case SQLITE_NOTADB:
        return Error{ErrorCode::WrongPassword, detail};
    case SQLITE_CORRUPT:
        return Error{ErrorCode::Damaged, detail};
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
        return Error{ErrorCode::PermissionDenied, detail};
    case SQLITE_CONSTRAINT:
        return Error{ErrorCode::AlreadyExists, detail};
    default:
        return Error{ErrorCode::Io, detail};
    }
}

std::string Database::nextSavepoint() {
    return "sp" + std::to_string(m_savepointDepth);
}

Result<void> Database::begin(const std::string& name) {
    if (auto ok = exec("SAVEPOINT " + name); !ok) {
        return ok;
    }
    ++m_savepointDepth;
    return {};
}

Result<void> Database::commit(const std::string& name) {
    if (auto ok = exec("RELEASE " + name); !ok) {
        return ok;
    }
    --m_savepointDepth;
    return {};
}

void Database::rollback(const std::string& name) noexcept {
    const std::string sql = "ROLLBACK TO " + name + "; RELEASE " + name;
    sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr);
    --m_savepointDepth;
}

// Statement

Statement::Statement(Database* db, sqlite3_stmt* stmt) noexcept
    : m_db(db)
    , m_stmt(stmt) {}

Statement::~Statement() {
    if (m_stmt != nullptr) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

Statement::Statement(Statement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_stmt(std::exchange(other.m_stmt, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt != nullptr) {
            sqlite3_reset(m_stmt);
            sqlite3_clear_bindings(m_stmt);
        }
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindBlob(int index, std::span<const std::byte> bytes) {
    // A zero-length blob must stay a blob, not NULL: SQLite binds NULL for a null pointer.
    static const char empty = 0;
    const void* data = bytes.empty() ? static_cast<const void*>(&empty) : static_cast<const void*>(bytes.data());
    sqlite3_bind_blob64(m_stmt, index, data, bytes.size(), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindNull(int index) {
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    const char* sql = sqlite3_sql(m_stmt);
    const std::string what =
        std::string("statement failed (") + std::string(sql, std::min<std::size_t>(std::strlen(sql), 60)) + ")";
    return std::unexpected(m_db->lastError(what));
}

Result<void> Statement::run() {
    auto row = step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return {};
}

std::int64_t Statement::columnInt(int index) const {
    return sqlite3_column_int64(m_stmt, index);
}

QString Statement::columnText(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, index));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, index));
}

bool Statement::columnIsNull(int index) const {
    return sqlite3_column_type(m_stmt, index) == SQLITE_NULL;
}

crypto::SecureBuffer Statement::columnSecret(int index) const {
    const void* data = sqlite3_column_blob(m_stmt, index);
    const int size = sqlite3_column_bytes(m_stmt, index);
    if (size <= 0 || data == nullptr) {
        return {};
    }
    return crypto::SecureBuffer::copyOf(
        std::span<const std::byte>(static_cast<const std::byte*>(data), static_cast<std::size_t>(size)));
}

std::span<const std::byte> Statement::columnView(int index) const {
    const void* data = sqlite3_column_blob(m_stmt, index);
    const int size = sqlite3_column_bytes(m_stmt, index);
    if (size <= 0 || data == nullptr) {
        return {};
    }
    return {static_cast<const std::byte*>(data), static_cast<std::size_t>(size)};
}

std::int64_t Statement::columnBytes(int index) const {
    return sqlite3_column_bytes(m_stmt, index);
}

} // namespace coffer::model
