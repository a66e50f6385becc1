// SPDX-License-Identifier: Apache-2.0
#include "tests/model/VaultTestSupport.h"

#include <QFile>

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace coffer::model::testing {

QByteArray readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return file.readAll();
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.write(bytes);
    }
}

void flipByte(const QString& path, std::int64_t offset) {
    QByteArray bytes = readFile(path);
    const auto at = static_cast<qsizetype>(offset);
    Q_ASSERT(at < bytes.size());
    bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
    writeFile(path, bytes);
}

void setByte(const QString& path, std::int64_t offset, unsigned char value) {
    QByteArray bytes = readFile(path);
    const auto at = static_cast<qsizetype>(offset);
    Q_ASSERT(at < bytes.size());
    bytes[at] = static_cast<char>(value);
    writeFile(path, bytes);
}

int modeOf(const QString& path) {
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
        return -1;
    }
    return static_cast<int>(st.st_mode & 07777);
}

Result<std::int64_t> insertSecret(Database& db, const QString& name, const QByteArray& value, const QString& project,
                                  const QString& environment) {
    return db.transaction([&]() -> Result<std::int64_t> {
        auto p = db.prepare("INSERT OR IGNORE INTO projects (name, position, created_at) VALUES (?1, 0, 0)");
        if (!p) {
            return std::unexpected(p.error());
        }
        if (auto ok = p->bind(1, project).run(); !ok) {
            return std::unexpected(ok.error());
        }
        auto e = db.prepare("INSERT OR IGNORE INTO environments (project_id, name, position, created_at) "
                            "SELECT id, ?2, 0, 0 FROM projects WHERE name = ?1");
        if (!e) {
            return std::unexpected(e.error());
        }
        if (auto ok = e->bind(1, project).bind(2, environment).run(); !ok) {
            return std::unexpected(ok.error());
        }
        auto s = db.prepare("INSERT INTO secrets (environment_id, name, value, version, updated_at, updated_by) "
                            "SELECT e.id, ?3, ?4, 1, 0, 'test' FROM environments e JOIN projects p "
                            "ON p.id = e.project_id WHERE p.name = ?1 AND e.name = ?2");
        if (!s) {
            return std::unexpected(s.error());
        }
        const auto bytes = std::as_bytes(std::span<const char>(value.constData(), value.size()));
        if (auto ok = s->bind(1, project).bind(2, environment).bind(3, name).bindBlob(4, bytes).run(); !ok) {
            return std::unexpected(ok.error());
        }
        return db.lastInsertId();
    });
}

QByteArray secretValue(Database& db, const QString& name) {
    auto q = db.prepare("SELECT value FROM secrets WHERE name = ?1 AND deleted = 0");
    if (!q) {
        return {};
    }
    q->bind(1, name);
    auto row = q->step();
    if (!row || !*row) {
        return {};
    }
    const auto secret = q->columnSecret(0);
    return QByteArray(reinterpret_cast<const char*>(secret.data()), static_cast<qsizetype>(secret.size()));
}

int withoutRootPower(const std::function<int()>& probe) {
    if (::geteuid() != 0) {
        return probe();
    }
    const pid_t child = ::fork();
    if (child == 0) {
        constexpr uid_t kNobody = 65534;
        if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
            ::_exit(255);
        }
        ::_exit(probe());
    }
    int status = 0;
    if (child < 0 || ::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) == 255) {
        return -1;
    }
    return WEXITSTATUS(status);
}

int outcome(ErrorCode code) {
    return 1 + static_cast<int>(code);
}

} // namespace coffer::model::testing
