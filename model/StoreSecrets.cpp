// SPDX-License-Identifier: Apache-2.0
// Secrets and their history.
//
// The `secrets` row is the current state, denormalised for fast listing; `secret_versions` is append-only.
// setSecret() writes both from the content at hand. The other changes update the row and then copy it into a
// new version with INSERT ... SELECT, so the value never leaves SQLite and a version always equals the state
// it records.
//
// Decisions (also in Store.h):
// - Tags are stored as one TEXT column joined with '\n'; a tag must be non-empty and hold no line break.
// - setSecret() on a name whose only secret is deleted revives that secret (same id, history kept) with a
//   Restored version whose restoredFrom is 0: the content is new, not a copy of an earlier version.
// - A Deleted version keeps the value, note and tags the secret had, so value(id, version) works for every
//   version and restoring any version (even the Deleted one) brings that content back.
// - Team sync: a change of a shared environment also appends its outbox rows (StoreSync.cpp) after its version,
//   in the same transaction, so the outbox never holds a change the vault does not, nor misses one. A restore
//   that brings back another name of a live secret is a rename too: Delete(current name) then Set. Changes from
//   the team's log (applyRemote) go through writeSecret()/writeDelete() with their author and no outbox row.
#include "model/Store.h"

#include "model/Database.h"
#include "model/Names.h"
#include "model/SecretWrites.h"
#include "model/Vault.h"

#include <sqlcipher/sqlite3.h>

#include <array>
#include <string_view>

namespace coffer::model {
namespace {

constexpr QChar kTagSeparator = u'\n';

// Order matches VersionKind; these words are stored in secret_versions.kind and must never change.
constexpr std::array<std::string_view, 5> kKindWords = {"created", "updated", "renamed", "deleted", "restored"};

std::string_view kindWord(VersionKind kind) {
    return kKindWords[static_cast<std::size_t>(kind)];
}

VersionKind kindFromWord(const QString& word) {
    for (std::size_t i = 0; i < kKindWords.size(); ++i) {
        if (word == QLatin1StringView(kKindWords[i].data(), static_cast<qsizetype>(kKindWords[i].size()))) {
            return static_cast<VersionKind>(i);
        }
    }
    // Only this file writes the column; an unknown word means a newer writer, so show it as an update.
    return VersionKind::Updated;
}

// qint64 is long long, std::int64_t is long: the cast picks Statement::bind(int, std::int64_t) unambiguously.
std::int64_t nowMs() {
    return static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch());
}

QDateTime fromMs(std::int64_t ms) {
    // Qt::UTC rather than a QTimeZone: no time-zone lookup per row when listing thousands of secrets.
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

Result<std::optional<QString>> encodeTags(const std::optional<QStringList>& tags) {
    if (!tags) {
        return std::nullopt;
    }
    for (const QString& tag : *tags) {
        if (tag.isEmpty()) {
            // An empty tag would vanish: "" is also how an empty list is stored.
            return fail(ErrorCode::InvalidName, QStringLiteral("a tag cannot be empty"));
        }
        if (tag.contains(u'\n') || tag.contains(u'\r')) {
            return fail(ErrorCode::InvalidName, QStringLiteral("a tag cannot contain a line break"));
        }
    }
    return tags->join(kTagSeparator);
}

QStringList decodeTags(const QString& text) {
    return text.isEmpty() ? QStringList{} : text.split(kTagSeparator);
}

void bindOne(Statement& q, int index, std::span<const std::byte> blob) {
    q.bindBlob(index, blob);
}

template <typename T> void bindOne(Statement& q, int index, const T& value) {
    q.bind(index, value);
}

// A cached statement with `args` bound to ?1, ?2, ... in order (a byte span as a blob).
template <typename... Args> Result<Statement> bound(Database& db, std::string_view sql, const Args&... args) {
    auto q = db.prepare(sql);
    if (q) {
        int index = 0;
        (bindOne(*q, ++index, args), ...);
    }
    return q;
}

template <typename... Args> Result<void> execute(Database& db, std::string_view sql, const Args&... args) {
    auto q = bound(db, sql, args...);
    return q ? q->run() : std::unexpected(q.error());
}

// The first row of `q` as read by `read`, or the error made by `missing` when there is none.
template <typename Read, typename Missing>
auto fetchOne(Result<Statement> q, Read read, Missing missing) -> Result<decltype(read(*q))> {
    if (!q) {
        return std::unexpected(q.error());
    }
    auto row = q->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return missing();
    }
    return read(*q);
}

std::unexpected<Error> secretNotFound(std::int64_t id) {
    return fail(ErrorCode::NotFound, QStringLiteral("no secret with id %1").arg(id));
}

// The columns readSummary() expects, in order. A macro so that it joins the SQL literals at compile time.
#define COFFER_SUMMARY_COLUMNS                                                                                         \
    "id, environment_id, name, note, tags, version, deleted, updated_at, updated_by, length(value)"

SecretSummary readSummary(const Statement& row) {
    const int version = static_cast<int>(row.columnInt(5));
    return SecretSummary{row.columnInt(0),
                         row.columnInt(1),
                         row.columnText(2),
                         row.columnText(3),
                         decodeTags(row.columnText(4)),
                         version,
                         version,
                         row.columnInt(6) != 0,
                         fromMs(row.columnInt(7)),
                         row.columnText(8),
                         row.columnInt(9)};
}

Result<SecretSummary> loadSummary(Database& db, std::int64_t secretId) {
    return fetchOne(bound(db, "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets WHERE id = ?1", secretId), readSummary,
                    [&] { return secretNotFound(secretId); });
}

// A live secret, for the changes that need one (edit, rename, delete).
Result<SecretSummary> loadLive(Database& db, std::int64_t secretId) {
    auto current = loadSummary(db, secretId);
    if (current && current->deleted) {
        return fail(ErrorCode::NotFound, QStringLiteral("secret %1 is deleted").arg(current->name));
    }
    return current;
}

struct Scope {
    QString project;
    QString environment;
    bool shared = false; ///< has a sync_environments row: local changes go to the outbox too
};

// Names for the audit log and whether the environment is shared (in the same lookup: this runs for every change
// of a bulk import); also proves the environment exists (NotFound otherwise).
Result<Scope> scopeOf(Database& db, std::int64_t environmentId) {
    return fetchOne(
        bound(db,
              "SELECT p.name, e.name, s.environment_id IS NOT NULL FROM environments e "
              "JOIN projects p ON p.id = e.project_id "
              "LEFT JOIN sync_environments s ON s.environment_id = e.id WHERE e.id = ?1",
              environmentId),
        [](const Statement& q) {
            return Scope{q.columnText(0), q.columnText(1), q.columnInt(2) != 0};
        },
        [&] { return fail(ErrorCode::NotFound, QStringLiteral("no environment with id %1").arg(environmentId)); });
}

std::unexpected<Error> nameTaken(const Error& error, const QString& name, const Scope& scope) {
    // Within the Store the only constraint a statement can break is the one-live-name-per-environment index
    // (rows it references are looked up first), so a constraint error means "that name is taken".
    if (error.code == ErrorCode::AlreadyExists) {
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("secret %1 in %2/%3").arg(name, scope.project, scope.environment));
    }
    return std::unexpected(error);
}

// Makes one change all-or-nothing. Outside a transaction it opens one. Inside one it adds no savepoint: SQLCipher
// encrypts every page copied into a nested savepoint's journal, which made a 100k-secret import eight times
// slower. Each change fails for its own reasons (name, size, not found, name taken) before or at its first write,
// so a failed call still leaves nothing; only an I/O failure half-way could, and the enclosing transaction is
// then rolled back by the error it returns (see Store::transaction()).
template <typename F> auto atomically(Database& db, F&& body) -> decltype(body()) {
    if (sqlite3_get_autocommit(db.handle()) == 0) {
        return body();
    }
    return db.transaction(std::forward<F>(body));
}

// Store::audit() with `actor` (a remote change's author). The same SQL text, so the same cached statement.
Result<void> auditAs(Database& db, const QString& actor, const QString& action, const Scope& scope,
                     const QString& secret, const QString& detail) {
    return execute(db,
                   "INSERT INTO audit_events (at, actor, action, project, environment, secret, "
                   "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   nowMs(), actor, action, scope.project, scope.environment, secret, detail);
}

// The end of editSecret(), renameSecret(), deleteSecret() and restoreVersion(): the row was just updated, so copy
// it into a new version, audit a local change, and return the new state.
Result<SecretSummary> recordChange(Database& db, const detail::Writer& writer, std::int64_t secretId, VersionKind kind,
                                   int restoredFrom, const Scope& scope, const QString& action, const QString& what) {
    auto copied = execute(db,
                          "INSERT INTO secret_versions "
                          "(secret_id, version, kind, name, value, note, tags, deleted, restored_from, at, author) "
                          "SELECT id, version, ?2, name, value, note, tags, deleted, ?3, updated_at, updated_by "
                          "FROM secrets WHERE id = ?1",
                          secretId, kindWord(kind), restoredFrom);
    if (!copied) {
        return std::unexpected(copied.error());
    }
    auto now = loadSummary(db, secretId);
    if (!now) {
        return now;
    }
    if (!writer.local) {
        return now; // a teammate's change: its version names the author; the engine audits the pull once
    }
    const QString detail = QStringLiteral("version %1: %2").arg(now->version).arg(what);
    if (auto audited = auditAs(db, writer.author, action, scope, now->name, detail); !audited) {
        return std::unexpected(audited.error());
    }
    return now;
}

} // namespace

QString toString(VersionKind kind) {
    const std::string_view word = kindWord(kind);
    return QString::fromLatin1(word.data(), static_cast<qsizetype>(word.size()));
}

Result<SecretSummary> detail::writeSecret(Database& db, const Writer& writer, std::int64_t environmentId,
                                          const QString& name, std::span<const std::byte> value,
                                          const SecretEdit& edit) {
    if (auto ok = checkSecretName(name); !ok) {
        return std::unexpected(ok.error());
    }
    if (value.size() > kMaxValueBytes) {
        return fail(ErrorCode::TooLarge, QStringLiteral("the value of %1 is %2 bytes; at most %3 are allowed")
                                             .arg(name)
                                             .arg(value.size())
                                             .arg(kMaxValueBytes));
    }
    const auto newTags = encodeTags(edit.tags);
    if (!newTags) {
        return std::unexpected(newTags.error());
    }

    return atomically(db, [&]() -> Result<SecretSummary> {
        const auto scope = scopeOf(db, environmentId);
        if (!scope) {
            return std::unexpected(scope.error());
        }
        // The one lookup per call: the live secret of that name, else the most recently deleted one. The value
        // is compared inside SQLite, so an unchanged value is never copied out.
        std::optional<SecretSummary> existing;
        bool sameValue = false;
        {
            auto q = bound(db,
                           "SELECT " COFFER_SUMMARY_COLUMNS ", value = ?3 FROM secrets "
                           "WHERE environment_id = ?1 AND name = ?2 "
                           "ORDER BY deleted, updated_at DESC, id DESC LIMIT 1",
                           environmentId, name, value);
            auto row = q ? q->step() : std::unexpected(q.error());
            if (!row) {
                return std::unexpected(row.error());
            }
            if (*row) {
                existing = readSummary(*q);
                sameValue = q->columnInt(10) != 0;
            }
        }

        const std::int64_t now = nowMs();
        const QString oldTags = existing ? existing->tags.join(kTagSeparator) : QString();
        const QString note = edit.note.value_or(existing ? existing->note : QString());
        const QString tags = newTags->value_or(oldTags);
        if (existing && !existing->deleted && sameValue && note == existing->note && tags == oldTags) {
            return std::move(*existing); // nothing changed: no version, no audit event
        }

        SecretSummary summary{existing ? existing->id : 0,
                              environmentId,
                              name,
                              note,
                              decodeTags(tags),
                              existing ? existing->version + 1 : 1,
                              existing ? existing->version + 1 : 1,
                              false,
                              fromMs(now),
                              writer.author,
                              static_cast<std::int64_t>(value.size())};
        const auto written =
            existing ? execute(db,
                               "UPDATE secrets SET value = ?1, note = ?2, tags = ?3, deleted = 0, "
                               "version = version + 1, updated_at = ?4, updated_by = ?5 WHERE id = ?6",
                               value, note, tags, now, writer.author, existing->id)
                     : execute(db,
                               "INSERT INTO secrets (environment_id, name, value, note, tags, version, deleted, "
                               "updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, 1, 0, ?6, ?7)",
                               environmentId, name, value, note, tags, now, writer.author);
        if (!written) {
            return nameTaken(written.error(), name, *scope);
        }
        if (!existing) {
            summary.id = db.lastInsertId();
        }
        const bool revived = existing && existing->deleted;
        const VersionKind kind = !existing ? VersionKind::Created
                                 : revived ? VersionKind::Restored
                                           : VersionKind::Updated;
        // INSERT ... VALUES, not a copy of the row with INSERT ... SELECT: only the latter needs a statement
        // journal, whose pages SQLCipher encrypts one by one, and this is the path of bulk imports.
        if (auto versioned =
                execute(db,
                        "INSERT INTO secret_versions (secret_id, version, kind, name, value, note, tags, "
                        "deleted, restored_from, at, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, "
                        "?8, ?9)",
                        summary.id, summary.version, kindWord(kind), name, value, note, tags, now, writer.author);
            !versioned) {
            return std::unexpected(versioned.error());
        }
        // Tags stay on this device: a change of tags alone is not sent.
        const bool tagsOnly = existing && !revived && sameValue && note == existing->note;
        if (writer.local && scope->shared && !tagsOnly) {
            if (auto queued = detail::queueSet(db, summary, value); !queued) {
                return std::unexpected(queued.error());
            }
        }
        const QString action = !existing ? QStringLiteral("create")
                               : revived ? QStringLiteral("restore")
                                         : QStringLiteral("update");
        const QString detail = !existing ? QString()
                               : revived ? QStringLiteral("version %1: revived with new content").arg(summary.version)
                                         : QStringLiteral("version %1").arg(summary.version);
        if (!writer.local) {
            return summary; // as in recordChange()
        }
        if (auto audited = auditAs(db, writer.author, action, *scope, name, detail); !audited) {
            return std::unexpected(audited.error());
        }
        return summary;
    });
}

Result<SecretSummary> Store::setSecret(std::int64_t environmentId, const QString& name,
                                       std::span<const std::byte> value, const SecretEdit& edit) {
    return detail::writeSecret(m_vault.database(), detail::Writer{m_author}, environmentId, name, value, edit);
}

Result<std::vector<SecretSummary>> Store::secrets(std::int64_t environmentId, bool includeDeleted) {
    Database& db = m_vault.database();
    std::vector<SecretSummary> list;
    {
        // Two texts rather than a bound flag: the literal "deleted = 0" lets SQLite use the partial index.
        auto q = includeDeleted ? bound(db,
                                        "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                        "WHERE environment_id = ?1 ORDER BY name, deleted, id",
                                        environmentId)
                                : bound(db,
                                        "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                        "WHERE environment_id = ?1 AND deleted = 0 ORDER BY name",
                                        environmentId);
        if (!q) {
            return std::unexpected(q.error());
        }
        for (auto row = q->step(); !row || *row; row = q->step()) {
            if (!row) {
                return std::unexpected(row.error());
            }
            list.push_back(readSummary(*q));
        }
    }
    if (list.empty()) {
        // Only an empty answer needs to tell "no such environment" from "no secrets yet".
        if (auto scope = scopeOf(db, environmentId); !scope) {
            return std::unexpected(scope.error());
        }
    }
    return list;
}

Result<SecretSummary> Store::secret(std::int64_t environmentId, const QString& name, bool includeDeleted) {
    Database& db = m_vault.database();
    auto q = includeDeleted ? bound(db,
                                    "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                    "WHERE environment_id = ?1 AND name = ?2 "
                                    "ORDER BY deleted, updated_at DESC, id DESC LIMIT 1",
                                    environmentId, name)
                            : bound(db,
                                    "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets "
                                    "WHERE environment_id = ?1 AND name = ?2 AND deleted = 0",
                                    environmentId, name);
    return fetchOne(std::move(q), readSummary,
                    [&] { return fail(ErrorCode::NotFound, QStringLiteral("no secret named %1").arg(name)); });
}

Result<SecretSummary> Store::secretById(std::int64_t secretId) {
    return loadSummary(m_vault.database(), secretId);
}

Result<crypto::SecureBuffer> Store::value(std::int64_t secretId, std::optional<int> version) {
    Database& db = m_vault.database();
    if (version) {
        return fetchOne(
            bound(db, "SELECT value FROM secret_versions WHERE secret_id = ?1 AND version = ?2", secretId, *version),
            [](const Statement& q) { return q.columnSecret(0); },
            [&] {
                return fail(ErrorCode::NotFound,
                            QStringLiteral("no version %1 of secret %2").arg(*version).arg(secretId));
            });
    }
    // A deleted secret's value is not even read.
    auto current = fetchOne(
        bound(db, "SELECT deleted, name, CASE WHEN deleted = 0 THEN value END FROM secrets WHERE id = ?1", secretId),
        [](const Statement& q) -> Result<crypto::SecureBuffer> {
            if (q.columnInt(0) != 0) {
                return fail(ErrorCode::NotFound, QStringLiteral("secret %1 is deleted").arg(q.columnText(1)));
            }
            return q.columnSecret(2);
        },
        [&] { return secretNotFound(secretId); });
    return current ? std::move(*current) : std::unexpected(current.error());
}

Result<SecretSummary> Store::editSecret(std::int64_t secretId, const SecretEdit& edit) {
    const auto newTags = encodeTags(edit.tags);
    if (!newTags) {
        return std::unexpected(newTags.error());
    }
    Database& db = m_vault.database();
    return atomically(db, [&]() -> Result<SecretSummary> {
        auto current = loadLive(db, secretId);
        if (!current) {
            return current;
        }
        const QString oldTags = current->tags.join(kTagSeparator);
        const QString note = edit.note.value_or(current->note);
        const QString tags = newTags->value_or(oldTags);
        if (note == current->note && tags == oldTags) {
            return current;
        }
        const auto scope = scopeOf(db, current->environmentId);
        if (!scope) {
            return std::unexpected(scope.error());
        }
        if (auto ok = execute(db,
                              "UPDATE secrets SET note = ?1, tags = ?2, version = version + 1, updated_at = ?3, "
                              "updated_by = ?4 WHERE id = ?5",
                              note, tags, nowMs(), m_author, secretId);
            !ok) {
            return std::unexpected(ok.error());
        }
        const QString what = note == current->note ? QStringLiteral("tags")
                             : tags == oldTags     ? QStringLiteral("note")
                                                   : QStringLiteral("note and tags");
        auto now = recordChange(db, detail::Writer{m_author}, secretId, VersionKind::Updated, 0, *scope,
                                QStringLiteral("update"), what);
        // Tags stay on this device: only a note change is sent.
        if (now && scope->shared && note != current->note) {
            if (auto queued = detail::queueSetFromRow(db, *now); !queued) {
                return std::unexpected(queued.error());
            }
        }
        return now;
    });
}

Result<SecretSummary> Store::renameSecret(std::int64_t secretId, const QString& newName) {
    if (auto ok = checkSecretName(newName); !ok) {
        return std::unexpected(ok.error());
    }
    Database& db = m_vault.database();
    return atomically(db, [&]() -> Result<SecretSummary> {
        auto current = loadLive(db, secretId);
        if (!current || current->name == newName) {
            return current;
        }
        const auto scope = scopeOf(db, current->environmentId);
        if (!scope) {
            return std::unexpected(scope.error());
        }
        if (auto ok = execute(db,
                              "UPDATE secrets SET name = ?1, version = version + 1, updated_at = ?2, "
                              "updated_by = ?3 WHERE id = ?4",
                              newName, nowMs(), m_author, secretId);
            !ok) {
            return nameTaken(ok.error(), newName, *scope);
        }
        auto now = recordChange(db, detail::Writer{m_author}, secretId, VersionKind::Renamed, 0, *scope,
                                QStringLiteral("rename"), QStringLiteral("renamed from %1").arg(current->name));
        if (now && scope->shared) {
            if (auto queued = detail::queueRename(db, *now, current->name); !queued) {
                return std::unexpected(queued.error());
            }
        }
        return now;
    });
}

Result<SecretSummary> Store::deleteSecret(std::int64_t secretId) {
    return detail::writeDelete(m_vault.database(), detail::Writer{m_author}, secretId);
}

Result<SecretSummary> detail::writeDelete(Database& db, const Writer& writer, std::int64_t secretId) {
    return atomically(db, [&]() -> Result<SecretSummary> {
        auto current = loadLive(db, secretId);
        if (!current) {
            return current;
        }
        const auto scope = scopeOf(db, current->environmentId);
        if (!scope) {
            return std::unexpected(scope.error());
        }
        // The row keeps its value, so the Deleted version carries it too (see the top of this file).
        if (auto ok = execute(db,
                              "UPDATE secrets SET deleted = 1, version = version + 1, updated_at = ?1, "
                              "updated_by = ?2 WHERE id = ?3",
                              nowMs(), writer.author, secretId);
            !ok) {
            return std::unexpected(ok.error());
        }
        auto now = recordChange(db, writer, secretId, VersionKind::Deleted, 0, *scope, QStringLiteral("delete"),
                                QStringLiteral("deleted"));
        if (now && writer.local && scope->shared) {
            if (auto queued = detail::queueDelete(db, *now, now->name); !queued) {
                return std::unexpected(queued.error());
            }
        }
        return now;
    });
}

Result<SecretSummary> Store::restoreVersion(std::int64_t secretId, int version) {
    Database& db = m_vault.database();
    return atomically(db, [&]() -> Result<SecretSummary> {
        auto current = loadSummary(db, secretId);
        if (!current) {
            return current;
        }
        const auto restoredName = fetchOne(
            bound(db, "SELECT name FROM secret_versions WHERE secret_id = ?1 AND version = ?2", secretId, version),
            [](const Statement& q) { return q.columnText(0); },
            [&] {
                return fail(ErrorCode::NotFound, QStringLiteral("%1 has no version %2 (it has %3)")
                                                     .arg(current->name)
                                                     .arg(version)
                                                     .arg(current->version));
            });
        if (!restoredName) {
            return std::unexpected(restoredName.error());
        }
        const auto scope = scopeOf(db, current->environmentId);
        if (!scope) {
            return std::unexpected(scope.error());
        }
        // Row values (SQLite 3.15+) copy the content in one subquery; the value never leaves SQLite.
        if (auto ok = execute(db,
                              "UPDATE secrets SET (name, value, note, tags) = "
                              "(SELECT name, value, note, tags FROM secret_versions "
                              "WHERE secret_id = ?1 AND version = ?2), "
                              "deleted = 0, version = version + 1, updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                              secretId, version, nowMs(), m_author);
            !ok) {
            return nameTaken(ok.error(), *restoredName, *scope);
        }
        auto now = recordChange(db, detail::Writer{m_author}, secretId, VersionKind::Restored, version, *scope,
                                QStringLiteral("restore"), QStringLiteral("content of version %1").arg(version));
        if (now && scope->shared) {
            // Bringing back another name of a live secret renames it: the team deletes the name it had.
            const bool renames = !current->deleted && current->name != now->name;
            auto queued = renames ? detail::queueRename(db, *now, current->name) : detail::queueSetFromRow(db, *now);
            if (!queued) {
                return std::unexpected(queued.error());
            }
        }
        return now;
    });
}

Result<std::vector<SecretVersion>> Store::history(std::int64_t secretId) {
    auto q = bound(m_vault.database(),
                   "SELECT version, kind, name, note, tags, deleted, at, author, restored_from "
                   "FROM secret_versions WHERE secret_id = ?1 ORDER BY version",
                   secretId);
    if (!q) {
        return std::unexpected(q.error());
    }
    std::vector<SecretVersion> versions;
    for (auto row = q->step(); !row || *row; row = q->step()) {
        if (!row) {
            return std::unexpected(row.error());
        }
        versions.push_back(SecretVersion{secretId, static_cast<int>(q->columnInt(0)), kindFromWord(q->columnText(1)),
                                         q->columnText(2), q->columnText(3), decodeTags(q->columnText(4)),
                                         q->columnInt(5) != 0, fromMs(q->columnInt(6)), q->columnText(7),
                                         static_cast<int>(q->columnInt(8))});
    }
    if (versions.empty()) {
        return secretNotFound(secretId);
    }
    return versions;
}

} // namespace coffer::model
