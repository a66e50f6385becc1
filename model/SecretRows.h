// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to model/ (not a public header): reading and binding the secrets and secret_versions rows, shared by
// the changes (StoreSecrets.cpp) and the reads (StoreSecretReads.cpp).

#include "model/Database.h"
#include "model/ModelError.h"
#include "model/Store.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace coffer::model::detail {

constexpr QChar kTagSeparator = u'\n';

// Order matches VersionKind; these words are stored in secret_versions.kind and must never change.
constexpr std::array<std::string_view, 5> kKindWords = {"created", "updated", "renamed", "deleted", "restored"};

inline std::string_view kindWord(VersionKind kind) {
    return kKindWords[static_cast<std::size_t>(kind)];
}

inline VersionKind kindFromWord(const QString& word) {
    for (std::size_t i = 0; i < kKindWords.size(); ++i) {
        if (word == QLatin1StringView(kKindWords[i].data(), static_cast<qsizetype>(kKindWords[i].size()))) {
            return static_cast<VersionKind>(i);
        }
    }
    // Only this file writes the column; an unknown word means a newer writer, so show it as an update.
    return VersionKind::Updated;
}

// qint64 is long long, std::int64_t is long: the cast picks Statement::bind(int, std::int64_t) unambiguously.
inline std::int64_t nowMs() {
    return static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch());
}

inline QDateTime fromMs(std::int64_t ms) {
    // Qt::UTC rather than a QTimeZone: no time-zone lookup per row when listing thousands of secrets.
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

inline Result<std::optional<QString>> encodeTags(const std::optional<QStringList>& tags) {
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

inline QStringList decodeTags(const QString& text) {
    return text.isEmpty() ? QStringList{} : text.split(kTagSeparator);
}

inline void bindOne(Statement& q, int index, std::span<const std::byte> blob) {
    q.bindBlob(index, blob);
}

template <typename T> inline void bindOne(Statement& q, int index, const T& value) {
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

inline std::unexpected<Error> secretNotFound(std::int64_t id) {
    return fail(ErrorCode::NotFound, QStringLiteral("no secret with id %1").arg(id));
}

// The columns readSummary() expects, in order. A macro so that it joins the SQL literals at compile time.
#define COFFER_SUMMARY_COLUMNS                                                                                         \
    "id, environment_id, name, note, tags, version, deleted, updated_at, updated_by, length(value)"

inline SecretSummary readSummary(const Statement& row) {
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

inline Result<SecretSummary> loadSummary(Database& db, std::int64_t secretId) {
    return fetchOne(bound(db, "SELECT " COFFER_SUMMARY_COLUMNS " FROM secrets WHERE id = ?1", secretId), readSummary,
                    [&] { return secretNotFound(secretId); });
}

// A live secret, for the changes that need one (edit, rename, delete).
inline Result<SecretSummary> loadLive(Database& db, std::int64_t secretId) {
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
    /// This member's access to a shared environment at its current epoch (sync_environments.access, written by
    /// sync/ when it reads the grants): "write", "read" or "none". Always "write" for an unshared environment.
    QString access = QStringLiteral("write");
};

// Names for the audit log and whether the environment is shared (in the same lookup: this runs for every change
// of a bulk import); also proves the environment exists (NotFound otherwise).
inline Result<Scope> scopeOf(Database& db, std::int64_t environmentId) {
    return fetchOne(
        bound(db,
              "SELECT p.name, e.name, s.environment_id IS NOT NULL, coalesce(s.access, 'write') FROM environments e "
              "JOIN projects p ON p.id = e.project_id "
              "LEFT JOIN sync_environments s ON s.environment_id = e.id WHERE e.id = ?1",
              environmentId),
        [](const Statement& q) {
            return Scope{q.columnText(0), q.columnText(1), q.columnInt(2) != 0, q.columnText(3)};
        },
        [&] { return fail(ErrorCode::NotFound, QStringLiteral("no environment with id %1").arg(environmentId)); });
}

// A local change of a shared environment this member may not write is refused before anything is written: the
// team would never accept it, so keeping it in the outbox would only hide that it never reaches anyone.
inline Result<void> checkWritable(const Scope& scope) {
    if (scope.access == QLatin1StringView("write")) {
        return {};
    }
    const QString where = scope.project + QLatin1Char('/') + scope.environment;
    return fail(ErrorCode::ReadOnly,
                scope.access == QLatin1StringView("read")
                    ? QStringLiteral("the team gave you read access to %1, not write access; its changes still arrive "
                                     "when you sync")
                          .arg(where)
                    : QStringLiteral("your access to %1 was revoked").arg(where));
}

} // namespace coffer::model::detail
