// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to model/ (not a public header): the secret writes that the local API (StoreSecrets.cpp) and
// Store::applyRemote() (StoreSync.cpp) share, and the team-sync outbox hooks (StoreSync.cpp) that the local
// changes call inside their own transaction.

#include "model/ModelError.h"
#include "model/Store.h"

#include <QString>

#include <cstdint>
#include <span>

namespace coffer::model {

class Database;

namespace detail {

/// Who makes a change. `author` goes on the version and is the audit actor. A local change of a shared
/// environment also appends outbox rows; a remote one (applyRemote) never does.
struct Writer {
    const QString& author;
    bool local = true;
};

/// Store::setSecret() with `writer` (same checks, same no-op and revive rules; see Store.h).
[[nodiscard]] Result<SecretSummary> writeSecret(Database& db, const Writer& writer, std::int64_t environmentId,
                                                const QString& name, std::span<const std::byte> value,
                                                const SecretEdit& edit);
/// Store::deleteSecret() with `writer`.
[[nodiscard]] Result<SecretSummary> writeDelete(Database& db, const Writer& writer, std::int64_t secretId);

// The outbox hooks (StoreSync.cpp). Each appends one sync_outbox row for `now` (the secret and the version the
// change just wrote) with a fresh random record id and the base record of Store.h's rule. The caller checks
// that the environment is shared and runs them inside the change's transaction.

/// Set(now.name, value, now.note): for a change whose value the caller holds (setSecret).
[[nodiscard]] Result<void> queueSet(Database& db, const SecretSummary& now, std::span<const std::byte> value);
/// Set(now.name, value, note) copied from the secret's current row, so the value never leaves SQLite (a note
/// edit, a rename's second half, a restore).
[[nodiscard]] Result<void> queueSetFromRow(Database& db, const SecretSummary& now);
/// Delete(name), empty value and note: a delete (name = now.name).
[[nodiscard]] Result<void> queueDelete(Database& db, const SecretSummary& now, const QString& name);
/// A rename: Delete(oldName), then Set(now.name, ...) from the row (change names are secret names).
[[nodiscard]] Result<void> queueRename(Database& db, const SecretSummary& now, const QString& oldName);

} // namespace detail
} // namespace coffer::model
