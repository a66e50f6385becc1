// SPDX-License-Identifier: Apache-2.0
#include "model/VaultFile.h"

#include "crypto/PasswordHash.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Sodium.h"
#include "model/OpenSsl.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

// Debian's sqlcipher.pc does not define it, but the library exports sqlite3_key_v2 (checked with nm).
#ifndef SQLITE_HAS_CODEC
#define SQLITE_HAS_CODEC 1
#endif
#include <sqlcipher/sqlite3.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace coffer::model::vaultfile {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Closes a descriptor on every path out of a function.
class Fd {
public:
    explicit Fd(int fd) noexcept
        : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const noexcept { return m_fd; }

private:
    int m_fd;
};

QByteArray native(const QString& path) {
    return QFile::encodeName(path);
}

FileIdentity identityFrom(const struct stat& st) {
    return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

Result<void> checkRegularFile(const struct stat& st, const QString& path) {
    if (S_ISLNK(st.st_mode)) {
        // Following a link would let whoever can write the folder point us at another file.
        return fail(ErrorCode::PermissionDenied,
                    QStringLiteral("%1 is a symbolic link; Coffer opens only the file itself, so use the path "
                                   "it points to")
                        .arg(path));
    }
    if (S_ISDIR(st.st_mode)) {
        return fail(ErrorCode::NotAVault, QStringLiteral("%1 is a folder").arg(path));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(ErrorCode::NotAVault, QStringLiteral("%1 is not a regular file").arg(path));
    }
    return {};
}

bool startsLikeMagic(std::span<const std::byte> bytes) {
    constexpr std::string_view kMagic = "COFR";
    for (std::size_t i = 0; i < bytes.size() && i < kMagic.size(); ++i) {
        if (bytes[i] != static_cast<std::byte>(kMagic[i])) {
            return false;
        }
    }
    return true;
}

void appendHex(std::byte*& out, std::span<const std::byte> bytes) {
    constexpr std::string_view kDigits = "0123456789abcdef";
    for (const std::byte b : bytes) {
        const auto v = std::to_integer<unsigned>(b);
        *out++ = static_cast<std::byte>(kDigits[v >> 4]);
        *out++ = static_cast<std::byte>(kDigits[v & 0xf]);
    }
}

// "x'<64 hex key><32 hex salt>'" in guarded memory, NUL-terminated: SQLCipher's raw key with explicit salt.
// Built in a SecureBuffer rather than a std::string so no copy of the key's hex is left in the heap.
crypto::SecureBuffer keySpec(const crypto::VaultKey& key, const VaultHeader& header) {
    const auto salt = header.serialize();
    crypto::SecureBuffer spec(3 + 2 * (crypto::VaultKey::size + salt.size()) + 1);
    std::byte* out = spec.data();
    *out++ = std::byte{'x'};
    *out++ = std::byte{'\''};
    appendHex(out, key.bytes());
    appendHex(out, salt);
    *out++ = std::byte{'\''};
    *out = std::byte{0};
    return spec;
}

QString sqliteMessage(sqlite3* db) {
    return QString::fromUtf8(sqlite3_errmsg(db));
}

// The major version of the SQLCipher library, from PRAGMA cipher_version ("3.4.1", "4.5.6 community").
int cipherMajorVersion(Database& db) {
    auto query = db.prepare("PRAGMA cipher_version");
    if (!query) {
        return 0;
    }
    auto row = query->step();
    if (!row || !*row) {
        return 0;
    }
    return query->columnText(0).section(u'.', 0, 0).toInt();
}

// Cipher format 1: SQLCipher 3 defaults with 4096-byte pages. SQLCipher 4 changed its defaults, so it is
// told to read and write the version-3 layout; 3.x rejects that pragma, so it is only issued on 4+.
Result<void> applyCipherSettings(Database& db, std::string_view schema) {
    const std::string prefix = "PRAGMA " + std::string(schema) + ".";
    if (cipherMajorVersion(db) >= 4) {
        if (auto ok = db.exec(prefix + "cipher_compatibility = 3"); !ok) {
            return ok;
        }
    }
    return db.exec(prefix + "cipher_page_size = " + std::to_string(kPageSize));
}

} // namespace

Error errnoError(int error, const QString& path, Access access) {
    const QString reason = QString::fromLocal8Bit(std::strerror(error));
    switch (error) {
    case ENOENT:
        return {ErrorCode::FileMissing, path};
    case ENOTDIR:
        if (access == Access::Read) {
            return {ErrorCode::FileMissing, QStringLiteral("%1: a part of the path is a file, not a folder").arg(path)};
        }
        return {ErrorCode::AlreadyExists, QStringLiteral("%1: a part of the path is a file, not a folder").arg(path)};
    case EACCES:
    case EPERM:
    case EROFS:
        return {ErrorCode::PermissionDenied, QStringLiteral("%1: %2").arg(path, reason)};
    case ELOOP:
        return {ErrorCode::PermissionDenied,
                QStringLiteral("%1 is a symbolic link; Coffer opens only the file itself").arg(path)};
    case EEXIST:
        return {ErrorCode::AlreadyExists, QStringLiteral("%1 already exists").arg(path)};
    case EISDIR:
        return {ErrorCode::NotAVault, QStringLiteral("%1 is a folder").arg(path)};
    default:
        return {ErrorCode::Io, QStringLiteral("%1: %2").arg(path, reason)};
    }
}

Result<HeaderRead> readHeader(const QString& path) {
    if (path.isEmpty()) {
        return fail(ErrorCode::FileMissing, QStringLiteral("no path given"));
    }
    const QByteArray name = native(path);
    struct stat linkStat {};
    if (::lstat(name.constData(), &linkStat) != 0) {
        return std::unexpected(errnoError(errno, path, Access::Read));
    }
    if (auto ok = checkRegularFile(linkStat, path); !ok) {
        return std::unexpected(ok.error());
    }
    // O_NONBLOCK: a FIFO swapped in after lstat() must not hang us; O_NOFOLLOW: nor a link.
    const Fd fd(::open(name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) {
        return std::unexpected(errnoError(errno, path, Access::Read));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        return std::unexpected(errnoError(errno, path, Access::Read));
    }
    if (auto ok = checkRegularFile(st, path); !ok) {
        return std::unexpected(ok.error());
    }
    HeaderRead result;
    result.size = static_cast<std::int64_t>(st.st_size);
    result.identity = identityFrom(st);
    if (result.size == 0) {
        // An empty file is never taken for a new vault: SQLite would happily key and fill it.
        return fail(ErrorCode::Damaged, QStringLiteral("%1 is empty (0 bytes)").arg(path));
    }

    std::array<std::byte, VaultHeader::kSize> bytes{};
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd.get(), bytes.data() + got, bytes.size() - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::unexpected(errnoError(errno, path, Access::Read));
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    if (got < bytes.size()) {
        if (startsLikeMagic(std::span<const std::byte>(bytes.data(), got))) {
            return fail(ErrorCode::Damaged, QStringLiteral("%1 is only %2 bytes long").arg(path).arg(got));
        }
        return fail(ErrorCode::NotAVault, QStringLiteral("%1 has no Coffer header").arg(path));
    }
    auto header = VaultHeader::parse(bytes);
    if (!header) {
        return fail(header.error().code, QStringLiteral("%1: %2").arg(path, header.error().detail));
    }
    result.header = *header;
    if (result.size < kPageSize || result.size % kPageSize != 0) {
        return fail(ErrorCode::Damaged, QStringLiteral("%1 is %2 bytes, not a whole number of %3-byte pages: it was "
                                                       "cut short")
                                            .arg(path)
                                            .arg(result.size)
                                            .arg(kPageSize));
    }
    return result;
}

Result<FileIdentity> identityOf(const QString& path) {
    struct stat st {};
    if (::lstat(native(path).constData(), &st) != 0) {
        return std::unexpected(errnoError(errno, path, Access::Read));
    }
    return identityFrom(st);
}

Result<void> makeParentFolders(const QString& path) {
    const QString folder = QFileInfo(path).absolutePath();
    // Walk up to the first folder that exists, then create the missing ones top-down.
    QStringList missing;
    QString current = folder;
    while (true) {
        struct stat st {};
        if (::stat(native(current).constData(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                return fail(ErrorCode::AlreadyExists, QStringLiteral("%1 is a file, not a folder").arg(current));
            }
            break;
        }
        if (errno != ENOENT) {
            return std::unexpected(errnoError(errno, current, Access::Create));
        }
        missing.prepend(current);
        const QString parent = QFileInfo(current).absolutePath();
        if (parent == current) {
            break;
        }
        current = parent;
    }
    for (const QString& dir : missing) {
        const QByteArray name = native(dir);
        if (::mkdir(name.constData(), 0700) != 0) {
            if (errno == EEXIST) {
                continue; // created by someone else meanwhile: not ours to change
            }
            return std::unexpected(errnoError(errno, dir, Access::Create));
        }
        // mkdir() applies the umask; an unusual one (say 0277) would leave a folder we cannot use.
        if (::chmod(name.constData(), 0700) != 0) {
            return std::unexpected(errnoError(errno, dir, Access::Create));
        }
    }
    return {};
}

Result<void> createEmptyFile(const QString& path) {
    // O_EXCL: never adopt an existing file, even an empty one; O_NOFOLLOW: never create through a link.
    const Fd fd(::open(native(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        return std::unexpected(errnoError(errno, path, Access::Create));
    }
    // open() applies the umask; make the mode exactly 0600 whatever it was. SQLite gives the journal the
    // main file's mode, so this also sets the journal's.
    if (::fchmod(fd.get(), 0600) != 0) {
        return std::unexpected(errnoError(errno, path, Access::Create));
    }
    return {};
}

void removeVaultFiles(const QString& path) noexcept {
    ::unlink(native(path).constData());
    ::unlink(native(path + QStringLiteral("-journal")).constData());
}

Result<crypto::VaultKey> deriveKey(std::span<const std::byte> password, const VaultHeader& header) {
    if (!crypto::initialize()) {
        return fail(ErrorCode::Io, QStringLiteral("the cryptography library could not start"));
    }
    // The whole header is the salt: a header with a changed cost derives a different key.
    auto key = crypto::deriveKey<crypto::VaultKey>(password, header.serialize(), header.cost.argon2());
    if (!key) {
        return fail(ErrorCode::Io, QStringLiteral("key derivation failed (%1 MiB of memory needed): %2")
                                       .arg(header.cost.memoryMiB)
                                       .arg(QString::fromUtf8(crypto::describe(key.error()))));
    }
    return std::move(*key);
}

Result<Database> openKeyed(const QString& path, const crypto::VaultKey& key, const VaultHeader& header) {
    // Never SQLITE_OPEN_CREATE: a vault that went missing must not come back as a new empty one.
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_PRIVATECACHE;
#ifdef SQLITE_OPEN_NOFOLLOW
    flags |= SQLITE_OPEN_NOFOLLOW; // SQLite >= 3.31; older ones rely on the lstat() in readHeader()
#endif
    if (!leaveOpenSslToProcessExit()) {
        return fail(ErrorCode::Io, QStringLiteral("the OpenSSL library SQLCipher encrypts with could not start"));
    }
    sqlite3* handle = nullptr;
    const int rc = sqlite3_open_v2(native(path).constData(), &handle, flags, nullptr);
    Database db(handle); // owns the handle even when opening failed
    if (rc != SQLITE_OK) {
        const int err = handle != nullptr ? sqlite3_system_errno(handle) : 0;
        if (err != 0) {
            return std::unexpected(errnoError(err, path, Access::Read));
        }
        return fail(ErrorCode::Io, QStringLiteral("%1: %2").arg(path, QString::fromUtf8(sqlite3_errstr(rc))));
    }
    sqlite3_extended_result_codes(handle, 1);
    if (sqlite3_db_readonly(handle, "main") == 1) {
        return fail(ErrorCode::PermissionDenied, QStringLiteral("%1 can be read but not written").arg(path));
    }
    {
        // sqlite3_key_v2 rather than PRAGMA key: the key never passes through the SQL parser, which would
        // leave copies of it in freed heap memory.
        crypto::SecureBuffer spec = keySpec(key, header);
        const int keyed = sqlite3_key_v2(handle, "main", spec.data(), static_cast<int>(spec.size() - 1));
        spec.clear();
        if (keyed != SQLITE_OK) {
            return fail(ErrorCode::Io, QStringLiteral("cannot set the key: %1").arg(sqliteMessage(handle)));
        }
    }
    if (auto ok = applyCipherSettings(db, "main"); !ok) {
        return std::unexpected(ok.error());
    }
    sqlite3_busy_timeout(handle, kBusyTimeoutMs);

    // The first read decrypts page 1: SQLITE_NOTADB here means the key is wrong (or page 1 is damaged).
    if (auto ok = db.exec("SELECT count(*) FROM sqlite_master"); !ok) {
        if (ok.error().code == ErrorCode::WrongPassword) {
            return fail(ErrorCode::WrongPassword);
        }
        return std::unexpected(ok.error());
    }
    // DELETE journal: see docs/vault-format.md ("Journal"). The journal holds encrypted page images and
    // gets the main file's 0600 mode.
    if (auto ok = db.exec("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY; "
                          "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;");
        !ok) {
        // The key already opened page 1, so a later "not a database" means a damaged page.
        if (ok.error().code == ErrorCode::WrongPassword) {
            return fail(ErrorCode::Damaged, ok.error().detail);
        }
        return std::unexpected(ok.error());
    }
    return db;
}

namespace {

/// Runs one of SQLite's check pragmas: "ok" in the first row, or Damaged with what it names.
Result<void> runCheck(Database& db, std::string_view pragma) {
    auto check = db.prepare(pragma);
    if (!check) {
        return fail(ErrorCode::Damaged, check.error().detail);
    }
    auto row = check->step();
    if (!row) {
        // Decryption failures surface as I/O, "out of memory" or corruption codes: all mean a bad page.
        return fail(ErrorCode::Damaged, row.error().detail);
    }
    if (!*row) {
        return fail(ErrorCode::Damaged, QStringLiteral("the integrity check returned nothing"));
    }
    const QString first = check->columnText(0);
    if (first != QLatin1String("ok")) {
        // The check names pages and indexes, never row contents.
        return fail(ErrorCode::Damaged, QStringLiteral("integrity check: %1").arg(first.simplified().left(200)));
    }
    return {};
}

} // namespace

Result<void> quickCheck(Database& db) {
    return runCheck(db, "PRAGMA quick_check");
}

Result<void> integrityCheck(Database& db) {
    return runCheck(db, "PRAGMA integrity_check");
}

Result<std::int64_t> exportTo(Database& db, const QString& target, const crypto::VaultKey& key,
                              const VaultHeader& header) {
    sqlite3* handle = db.handle();
    if (sqlite3_get_autocommit(handle) == 0) {
        return fail(ErrorCode::Io, QStringLiteral("a transaction is still open; finish it first"));
    }
    {
        // The key is bound, not spliced into the SQL text, and bound without a copy (SQLITE_STATIC).
        crypto::SecureBuffer spec = keySpec(key, header);
        const QByteArray targetName = native(target);
        sqlite3_stmt* attach = nullptr;
        if (sqlite3_prepare_v2(handle, "ATTACH DATABASE ?1 AS coffer_rekey KEY ?2", -1, &attach, nullptr) !=
            SQLITE_OK) {
            return std::unexpected(db.lastError("cannot prepare ATTACH"));
        }
        sqlite3_bind_text(attach, 1, targetName.constData(), static_cast<int>(targetName.size()), SQLITE_STATIC);
        sqlite3_bind_text(attach, 2, reinterpret_cast<const char*>(spec.data()), static_cast<int>(spec.size() - 1),
                          SQLITE_STATIC);
        const int rc = sqlite3_step(attach);
        sqlite3_finalize(attach);
        if (rc != SQLITE_DONE) {
            return std::unexpected(db.lastError("cannot attach the new vault file"));
        }
    }
    auto detach = [&] { return sqlite3_exec(handle, "DETACH DATABASE coffer_rekey", nullptr, nullptr, nullptr); };
    // The new file is thrown away if anything fails before it replaces the old one, so it needs no journal
    // and no syncs here: the caller fsyncs it once, complete.
    auto settings = applyCipherSettings(db, "coffer_rekey");
    if (settings) {
        settings = db.exec("PRAGMA coffer_rekey.journal_mode = OFF; PRAGMA coffer_rekey.synchronous = OFF;");
    }
    if (!settings) {
        detach();
        return std::unexpected(settings.error());
    }
    // BEGIN IMMEDIATE keeps other writers out of the old file while it is copied.
    if (auto ok = db.exec("BEGIN IMMEDIATE"); !ok) {
        detach();
        return std::unexpected(ok.error());
    }
    auto copied = db.exec("SELECT sqlcipher_export('coffer_rekey')");
    std::int64_t dataVersion = -1;
    if (copied) {
        auto version = db.prepare("PRAGMA main.data_version");
        if (auto row = version ? version->step() : Result<bool>(false); row && *row) {
            dataVersion = version->columnInt(0);
        }
    }
    if (copied) {
        copied = db.exec("COMMIT");
    }
    if (!copied) {
        sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
        detach();
        return std::unexpected(copied.error());
    }
    if (detach() != SQLITE_OK) {
        return std::unexpected(db.lastError("cannot detach the new vault file"));
    }
    return dataVersion;
}

Result<void> syncFile(const QString& path) {
    const Fd fd(::open(native(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        return std::unexpected(errnoError(errno, path, Access::Create));
    }
    return {};
}

Result<void> syncFolderOf(const QString& path) {
    const QString folder = QFileInfo(path).absolutePath();
    const Fd fd(::open(native(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        return std::unexpected(errnoError(errno, folder, Access::Create));
    }
    return {};
}

} // namespace coffer::model::vaultfile
