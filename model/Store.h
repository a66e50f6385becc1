// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/ModelError.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace coffer::model {

class Vault;
struct SecretDigest; // model/Compare.h

inline constexpr std::size_t kMaxValueBytes = 1024 * 1024;

struct Project {
    std::int64_t id = 0;
    QString name;
    int position = 0;
};

struct Environment {
    std::int64_t id = 0;
    std::int64_t projectId = 0;
    QString name;
    int position = 0;
    bool isProtected = false;
    QString colour; ///< "#rrggbb", or empty for a colour derived from the name
    /// Shared, and this member may only read it (or lost access): changing its secrets is refused (ReadOnly).
    bool readOnly = false;
};

enum class VersionKind { Created, Updated, Renamed, Deleted, Restored };
[[nodiscard]] QString toString(VersionKind kind);

/// A secret as listed: everything but the value.
struct SecretSummary {
    std::int64_t id = 0;
    std::int64_t environmentId = 0;
    QString name;
    QString note;
    QStringList tags;
    int version = 0;      ///< the current version number (1-based)
    int versionCount = 0; ///< equals version: versions are never removed
    bool deleted = false;
    QDateTime updatedAt; ///< UTC
    QString updatedBy;
    std::int64_t valueSize = 0;
};

/// A live secret with the project and environment it lives in, for searching the whole vault.
struct ScopedSecret {
    SecretSummary secret;
    std::int64_t projectId = 0;
    QString project;
    QString environment;
    QString environmentColour; ///< as Environment::colour
    bool environmentProtected = false;
};

/// One immutable version of a secret (the value is read separately with Store::value()).
struct SecretVersion {
    std::int64_t secretId = 0;
    int version = 0;
    VersionKind kind = VersionKind::Created;
    QString name;
    QString note;
    QStringList tags;
    bool deleted = false;
    QDateTime at; ///< UTC
    QString author;
    int restoredFrom = 0; ///< for Restored: the version whose content was restored; 0 when setSecret() revived a
                          ///< deleted secret with new content
};

/// An audit event. Never holds a value.
struct AuditEvent {
    std::int64_t id = 0;
    QDateTime at;
    QString actor;
    /// Secrets: "create", "update", "rename", "delete", "restore"; scopes: "add-project", "rename-project",
    /// "remove-project", "add-environment", "rename-environment", "remove-environment", "protect", "unprotect";
    /// recorded by callers: "reveal", "copy", "export", ..., and "sync" (one per run that applied teammates' changes)
    QString action;
    QString project;
    QString environment;
    QString secret;
    QString detail;
};

/// The optional parts of a secret change; unset fields keep their current content. Tags are stored joined
/// with '\n', so a tag must be non-empty and hold no line break ('\n' or '\r'): InvalidName otherwise.
struct SecretEdit {
    std::optional<QString> note;
    std::optional<QStringList> tags;
};

/// Projects, environments, secrets with their full history, and the local audit log, over an open vault.
/// Every change of a secret appends an immutable version; nothing is ever removed silently. Each call is
/// all-or-nothing; wrap several in transaction() to make them all-or-nothing together.
/// Times are milliseconds since the epoch, returned as QDateTime in UTC. Positions are 0-based and dense.
class Store {
public:
    /// `author` is recorded on each version and audit event (the OS user name until team identities exist).
    Store(Vault& vault, QString author);

    [[nodiscard]] const QString& author() const noexcept { return m_author; }

    // Projects, ordered by position.
    [[nodiscard]] Result<Project> addProject(const QString& name);
    [[nodiscard]] Result<std::vector<Project>> projects();
    [[nodiscard]] Result<Project> project(const QString& name);
    [[nodiscard]] Result<void> renameProject(std::int64_t projectId, const QString& newName);
    /// Moves to `position` (0-based; past the end means last, negative means first), renumbering the others.
    [[nodiscard]] Result<void> moveProject(std::int64_t projectId, int position);
    /// NotEmpty when it has environments, unless `force`; with force its environments, secrets and
    /// history are removed too (an audit event records the counts).
    [[nodiscard]] Result<void> removeProject(std::int64_t projectId, bool force);

    // Environments of a project, ordered by position. `isProtected` defaults from the name.
    [[nodiscard]] Result<Environment> addEnvironment(std::int64_t projectId, const QString& name,
                                                     std::optional<bool> isProtected = std::nullopt);
    [[nodiscard]] Result<std::vector<Environment>> environments(std::int64_t projectId);
    [[nodiscard]] Result<Environment> environment(std::int64_t projectId, const QString& name);
    [[nodiscard]] Result<void> renameEnvironment(std::int64_t environmentId, const QString& newName);
    [[nodiscard]] Result<void> setProtected(std::int64_t environmentId, bool isProtected);
    /// InvalidName unless `colour` is "#rrggbb" or empty; stored in lower case. Not audited (cosmetic).
    [[nodiscard]] Result<void> setColour(std::int64_t environmentId, const QString& colour);
    [[nodiscard]] Result<void> moveEnvironment(std::int64_t environmentId, int position);
    /// NotEmpty when it holds live secrets, unless `force`. Its deleted secrets and all history go with it (an
    /// audit event records the counts).
    [[nodiscard]] Result<void> removeEnvironment(std::int64_t environmentId, bool force);

    // Secrets.
    /// Creates the secret, or appends an Updated version when a live one of that name exists. When value, note
    /// and tags are all unchanged it is a no-op: no version, no audit event, the current summary is returned.
    /// When only a deleted secret has that name, that secret is revived (same id, history kept) with a Restored
    /// version (restoredFrom 0) holding the new value; unset note/tags keep the deleted secret's.
    /// InvalidName (name or tags), TooLarge (> kMaxValueBytes), NotFound (environment).
    [[nodiscard]] Result<SecretSummary> setSecret(std::int64_t environmentId, const QString& name,
                                                  std::span<const std::byte> value, const SecretEdit& edit = {});
    /// Live secrets of an environment ordered by name (with `includeDeleted`, deleted ones too).
    [[nodiscard]] Result<std::vector<SecretSummary>> secrets(std::int64_t environmentId, bool includeDeleted = false);
    /// A secret by name; a deleted one only with `includeDeleted`. NotFound otherwise.
    [[nodiscard]] Result<SecretSummary> secret(std::int64_t environmentId, const QString& name,
                                               bool includeDeleted = false);
    [[nodiscard]] Result<SecretSummary> secretById(std::int64_t secretId);
    /// Every live secret of the vault in one query (for search), ordered by project position, environment
    /// position and name. Project and environment names are shared between the rows that have them.
    [[nodiscard]] Result<std::vector<ScopedSecret>> allSecrets();
    /// The value of the current version, or of `version`. NotFound for a deleted secret's current value; any
    /// version can be read, and a Deleted version carries the value the secret had when it was deleted.
    [[nodiscard]] Result<crypto::SecureBuffer> value(std::int64_t secretId, std::optional<int> version = std::nullopt);
    /// Changes note and/or tags (a new Updated version with the same value); no-op when nothing changes.
    /// NotFound for a deleted secret.
    [[nodiscard]] Result<SecretSummary> editSecret(std::int64_t secretId, const SecretEdit& edit);
    /// A Renamed version; history stays with the secret. AlreadyExists when a live secret has the name (deleted
    /// ones do not hold their names); no-op for the current name; NotFound for a deleted secret.
    [[nodiscard]] Result<SecretSummary> renameSecret(std::int64_t secretId, const QString& newName);
    /// A Deleted version (keeping value, note and tags); restoreVersion() undoes it. NotFound when already
    /// deleted.
    [[nodiscard]] Result<SecretSummary> deleteSecret(std::int64_t secretId);
    /// A Restored version whose content (name, value, note, tags) is that of `version`; the secret is live
    /// afterwards. AlreadyExists when another live secret now has that name; NotFound for an unknown version.
    [[nodiscard]] Result<SecretSummary> restoreVersion(std::int64_t secretId, int version);
    /// All versions, oldest first.
    [[nodiscard]] Result<std::vector<SecretVersion>> history(std::int64_t secretId);
    /// Live secrets of an environment ordered by name, each with a keyed digest of its current value, in one
    /// query (model/Compare.h defines SecretDigest; this lives in Compare.cpp). NotFound for an unknown environment.
    [[nodiscard]] Result<std::vector<SecretDigest>> valueDigests(std::int64_t environmentId);

    // Counts for `info` and the status bar. `secrets` counts live secrets only.
    struct Counts {
        std::int64_t projects = 0;
        std::int64_t environments = 0;
        std::int64_t secrets = 0;
        std::int64_t versions = 0;
        std::int64_t auditEvents = 0;
    };
    [[nodiscard]] Result<Counts> counts();

    // Audit. Changes made through this class are audited automatically; reads (reveal, copy, export)
    // are recorded by the caller.
    [[nodiscard]] Result<void> audit(const QString& action, const QString& project, const QString& environment,
                                     const QString& secret, const QString& detail = {});
    /// Newest first, at most `limit`.
    [[nodiscard]] Result<std::vector<AuditEvent>> auditEvents(int limit = 1000);

    // Team sync (sync/ drives these; the tables are in Schema.cpp, version 3).
    //
    // Every change of a secret in a *shared* environment (one with a sync_environments row) also appends
    // rows to sync_outbox, in the same transaction: Set (name, value, note) for create, update, restore and a
    // note edit; Delete for delete; a rename is Delete(old name) then Set(new name). A tags-only edit appends
    // nothing (tags stay on this device). Each row gets a fresh random record id and, as its base record, the
    // record id of the newest change of that name this vault knows: the newest pending outbox row of that
    // name, else the newest sync_log row of that name, else all-zero. Unshared environments are unaffected.

    /// A change that came from a team's log (or a local rebase of a pending one), applied as a version like
    /// setSecret()/deleteSecret() would write it, with `author` as the version's author, no audit event (the
    /// engine audits each pull once: a teammate's change is not something done on this device) and
    /// never an outbox row. Set creates, updates or revives the secret of that name (note replaced, tags
    /// kept); Delete deletes the live secret of that name. Returns the secret and the version written; for a
    /// Delete of a name with no live secret, or a Set identical to the current content, nothing is written
    /// and the current summary (or NotFound when there is none) is returned.
    struct RemoteChange {
        std::int64_t environmentId = 0;
        bool isDelete = false;
        QString name;
        std::span<const std::byte> value; ///< ignored for a delete
        QString note;
        QString author;
    };
    [[nodiscard]] Result<SecretSummary> applyRemote(const RemoteChange& change);
    /// Whether an environment is shared with a team (has a sync_environments row). NotFound for an unknown
    /// environment.
    [[nodiscard]] Result<bool> isShared(std::int64_t environmentId);

    /// Runs `body` as one transaction: all of it or nothing. Nests (a savepoint). Inside it, secret changes
    /// open no savepoint of their own (SQLCipher makes nested savepoints expensive: a bulk import of 100k
    /// secrets would take eight times longer). A change that fails for its own reasons (name, size, not found,
    /// name taken) still leaves nothing behind, but after an I/O failure part of it may remain: `body` should
    /// return the first error it gets, so that everything is rolled back.
    [[nodiscard]] Result<void> transaction(const std::function<Result<void>()>& body);

private:
    Vault& m_vault;
    QString m_author;
};

} // namespace coffer::model
