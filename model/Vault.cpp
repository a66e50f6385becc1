// SPDX-License-Identifier: Apache-2.0
#include "model/Vault.h"

#include "model/Database.h"
#include "model/Schema.h"
#include "model/VaultFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

namespace coffer::model {

using vaultfile::Access;

struct Vault::State {
    QString path;
    VaultHeader header;
    std::optional<crypto::VaultKey> key; // empty once locked
    Database db;
    int schemaVersion = 0;
};

namespace {

crypto::VaultKey copyKey(const crypto::VaultKey& key) {
    return crypto::VaultKey::fromBytes(key.bytes());
}

// Checks a keyed connection the way unlock does: every page decrypts and holds together, the marker row
// is there, and the schema is brought up to date (or refused when it is newer than ours).
Result<int> verifyAndMigrate(Database& db) {
    if (auto ok = vaultfile::quickCheck(db); !ok) {
        return std::unexpected(ok.error());
    }
    auto version = migrate(db);
    if (!version && version.error().code == ErrorCode::WrongPassword) {
        // The key opened page 1 already: a later "not a database" is a damaged page, not a wrong password.
        return fail(ErrorCode::Damaged, version.error().detail);
    }
    return version;
}

} // namespace

Vault::Vault(std::unique_ptr<State> state)
    : m_state(std::move(state)) {}

Vault::Vault(Vault&&) noexcept = default;
Vault& Vault::operator=(Vault&&) noexcept = default;
Vault::~Vault() = default;

Result<Vault> Vault::create(const QString& path, std::span<const std::byte> password, KdfCost cost) {
    if (auto ok = cost.check(); !ok) {
        return std::unexpected(ok.error());
    }
    if (path.isEmpty()) {
        return fail(ErrorCode::FileMissing, QStringLiteral("no path given"));
    }
    // Refuse an existing file before the slow derivation; O_EXCL below closes the race.
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) == 0) {
        return fail(ErrorCode::AlreadyExists, QStringLiteral("%1 already exists").arg(path));
    }
    if (errno != ENOENT && errno != ENOTDIR) {
        return std::unexpected(vaultfile::errnoError(errno, path, Access::Create));
    }
    auto state = std::make_unique<State>();
    state->path = path;
    state->header = VaultHeader::generate(cost);
    // Derive before creating the file, so a crash during the slow part leaves no empty file behind.
    auto key = vaultfile::deriveKey(password, state->header);
    if (!key) {
        return std::unexpected(key.error());
    }
    state->key.emplace(std::move(*key));
    if (auto ok = vaultfile::makeParentFolders(path); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = vaultfile::createEmptyFile(path); !ok) {
        return std::unexpected(ok.error());
    }

    // From here the file is ours: on any failure it is removed, so a failed create leaves nothing.
    auto build = [&]() -> Result<void> {
        auto db = vaultfile::openKeyed(path, *state->key, state->header);
        if (!db) {
            return std::unexpected(db.error());
        }
        state->db = std::move(*db);
        if (auto ok = createSchema(state->db); !ok) {
            return ok;
        }
        state->schemaVersion = kSchemaVersion;
        // SQLCipher must have stored our header as the file's salt; a library that ignored it would
        // leave a vault that no one could ever unlock.
        auto written = vaultfile::readHeader(path);
        if (!written || written->header.serialize() != state->header.serialize()) {
            return fail(ErrorCode::Io, QStringLiteral("%1: the cipher library did not store the vault header; "
                                                      "this build of SQLCipher cannot be used")
                                           .arg(path));
        }
        return vaultfile::syncFolderOf(path);
    };
    if (auto ok = build(); !ok) {
        state->db.close();
        vaultfile::removeVaultFiles(path);
        return std::unexpected(ok.error());
    }
    return Vault(std::move(state));
}

Result<VaultInfo> Vault::readInfo(const QString& path) {
    auto read = vaultfile::readHeader(path);
    if (!read) {
        return std::unexpected(read.error());
    }
    VaultInfo info;
    info.path = path;
    info.formatVersion = read->header.formatVersion;
    info.cipherFormat = read->header.cipherFormat;
    info.cost = read->header.cost;
    info.fileSize = read->size;
    return info;
}

Result<crypto::VaultKey> Vault::deriveKey(const QString& path, std::span<const std::byte> password) {
    // The header is range-checked before anything is derived: a tampered cost fails here, fast.
    auto read = vaultfile::readHeader(path);
    if (!read) {
        return std::unexpected(read.error());
    }
    return vaultfile::deriveKey(password, read->header);
}

Result<Vault> Vault::open(const QString& path, const crypto::VaultKey& key) {
    auto read = vaultfile::readHeader(path);
    if (!read) {
        return std::unexpected(read.error());
    }
    auto db = vaultfile::openKeyed(path, key, read->header);
    if (!db) {
        return std::unexpected(db.error());
    }
    // SQLite opened the path again by name: make sure it is still the file whose header was checked.
    if (auto now = vaultfile::identityOf(path); !now || *now != read->identity) {
        return fail(ErrorCode::Io, QStringLiteral("%1 was replaced while it was being opened").arg(path));
    }
    auto version = verifyAndMigrate(*db);
    if (!version) {
        return std::unexpected(version.error());
    }
    auto state = std::make_unique<State>();
    state->path = path;
    state->header = read->header;
    state->key.emplace(copyKey(key));
    state->db = std::move(*db);
    state->schemaVersion = *version;
    return Vault(std::move(state));
}

Result<Vault> Vault::unlock(const QString& path, std::span<const std::byte> password) {
    auto key = deriveKey(path, password);
    if (!key) {
        return std::unexpected(key.error());
    }
    return open(path, *key);
}

Result<void> Vault::changePassword(std::span<const std::byte> newPassword, std::optional<KdfCost> newCost) {
    if (!isOpen()) {
        return fail(ErrorCode::Locked);
    }
    const KdfCost cost = newCost.value_or(m_state->header.cost);
    if (auto ok = cost.check(); !ok) {
        return ok;
    }
    const QString& path = m_state->path;
    const VaultHeader header = VaultHeader::generate(cost);
    auto key = vaultfile::deriveKey(newPassword, header);
    if (!key) {
        return std::unexpected(key.error());
    }

    // The new vault is written beside the old one (same folder, so rename() is atomic) and only replaces
    // it once complete and synced. A leftover from an earlier crash is garbage: the old file is intact.
    const QString next = path + QStringLiteral(".rekey");
    ::unlink(QFile::encodeName(next).constData());
    if (auto ok = vaultfile::createEmptyFile(next); !ok) {
        return ok;
    }
    Database& db = m_state->db;
    auto writeNew = [&]() -> Result<void> {
        auto copiedAt = vaultfile::exportTo(db, next, *key, header);
        if (!copiedAt) {
            return std::unexpected(copiedAt.error());
        }
        // Prove the copy opens with the new key and is whole before it replaces anything.
        {
            auto copy = vaultfile::openKeyed(next, *key, header);
            if (!copy) {
                return std::unexpected(copy.error());
            }
            if (auto ok = verifyAndMigrate(*copy); !ok) {
                return std::unexpected(ok.error());
            }
        }
        if (auto ok = vaultfile::syncFile(next); !ok) {
            return ok;
        }
        // Hold the write lock on the old file across the rename, and make sure no other connection
        // wrote to it after the copy was taken: that write would be lost.
        if (auto ok = db.exec("BEGIN IMMEDIATE"); !ok) {
            return ok;
        }
        auto version = db.prepare("PRAGMA main.data_version");
        auto row = version ? version->step() : Result<bool>(false);
        if (!row || !*row || version->columnInt(0) != *copiedAt) {
            return fail(ErrorCode::Io, QStringLiteral("the vault changed while its password was being changed; "
                                                      "nothing was changed, try again"));
        }
        return {};
    };
    if (auto ok = writeNew(); !ok) {
        (void)db.exec("ROLLBACK"); // fails harmlessly when the error came before BEGIN
        ::unlink(QFile::encodeName(next).constData());
        return ok;
    }
    if (::rename(QFile::encodeName(next).constData(), QFile::encodeName(path).constData()) != 0) {
        const int error = errno;
        (void)db.exec("ROLLBACK");
        ::unlink(QFile::encodeName(next).constData());
        return std::unexpected(vaultfile::errnoError(error, path, Access::Create));
    }
    // The rename has happened: the new vault is the vault now. A failed folder sync is not reported as a
    // failed change: the worst a power cut can then do is bring back the old file, which the old password
    // still opens.
    (void)vaultfile::syncFolderOf(path);
    (void)db.exec("ROLLBACK");
    lock();
    auto reopened = open(path, *key);
    if (!reopened) {
        return std::unexpected(reopened.error());
    }
    // Keep this vault's State object (only its contents change), so a Database& taken before the change
    // still refers to the open database after it.
    *m_state = std::move(*reopened->m_state);
    return {};
}

void Vault::lock() noexcept {
    if (m_state) {
        m_state->db.close();
        m_state->key.reset(); // SecureBuffer wipes the key as it frees it
        m_state->schemaVersion = 0;
    }
}

bool Vault::isOpen() const noexcept {
    return m_state && m_state->db.isOpen();
}

const QString& Vault::path() const noexcept {
    static const QString none;
    return m_state ? m_state->path : none;
}

VaultInfo Vault::info() const {
    Q_ASSERT(isOpen());
    VaultInfo info;
    info.path = m_state->path;
    info.formatVersion = m_state->header.formatVersion;
    info.cipherFormat = m_state->header.cipherFormat;
    info.cost = m_state->header.cost;
    info.schemaVersion = m_state->schemaVersion;
    info.fileSize = QFileInfo(m_state->path).size();
    return info;
}

const crypto::VaultKey& Vault::key() const {
    Q_ASSERT(isOpen());
    return *m_state->key;
}

Result<void> Vault::checkIntegrity() {
    if (!isOpen()) {
        return fail(ErrorCode::Locked);
    }
    return vaultfile::integrityCheck(m_state->db);
}

Database& Vault::database() {
    Q_ASSERT(isOpen());
    return m_state->db;
}

QString Vault::defaultPath() {
    // XDG Base Directory: a relative XDG_DATA_HOME is invalid and must be ignored.
    QString dataHome = qEnvironmentVariable("XDG_DATA_HOME");
    if (dataHome.isEmpty() || QDir::isRelativePath(dataHome)) {
        dataHome = QDir::homePath() + QStringLiteral("/.local/share");
    }
    return QDir::cleanPath(dataHome + QStringLiteral("/coffer/default.coffer"));
}

} // namespace coffer::model
