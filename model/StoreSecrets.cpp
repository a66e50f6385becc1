// SPDX-License-Identifier: Apache-2.0
// Changing secrets, with their history (listings, values and history are read in StoreSecretReads.cpp).
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
// - A local change of a shared environment this member may only read (or no longer may use) is refused with
//   ErrorCode::ReadOnly before anything is written (sync_environments.access, kept by sync/ from the
//   grants). The team's own changes (applyRemote) are never refused. Tags too: simpler to explain than "everything but
//   tags".
#include "model/Store.h"

#include "model/Database.h"
#include "model/Names.h"
#include "model/SecretRows.h"
#include "model/SecretWrites.h"
#include "model/Vault.h"

#include <sqlcipher/sqlite3.h>

#include <array>
#include <string_view>

namespace coffer::model {

using namespace detail;

namespace {

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
        if (auto writable = checkWritable(*scope); writer.local && !writable) {
            return std::unexpected(writable.error());
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
        if (auto writable = checkWritable(*scope); !writable) {
            return std::unexpected(writable.error());
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
        if (auto writable = checkWritable(*scope); !writable) {
            return std::unexpected(writable.error());
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
        if (auto writable = checkWritable(*scope); writer.local && !writable) {
            return std::unexpected(writable.error());
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
        if (auto writable = checkWritable(*scope); !writable) {
            return std::unexpected(writable.error());
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

} // namespace coffer::model
