// SPDX-License-Identifier: Apache-2.0
#pragma once

// A small world for engine tests: vaults (copies of one template, each with its own identity), a team whose
// roster the owner signed, the fake server, and readable views of each client's secrets and history.

#include "model/Store.h"
#include "model/Vault.h"
#include "sync/SyncEngine.h"
#include "sync/TeamState.h"
#include "tests/sync/engine/FakeServer.h"

#include <QByteArray>
#include <QTemporaryDir>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace coffer::tests {

/// One member's vault with its engine.
struct EngineClient {
    QString name;
    std::optional<model::Vault> vault;
    std::optional<model::Store> store;
    std::optional<sync::SyncEngine> engine;
    protocol::MemberId id{};
    std::int64_t env = 0; ///< the local id of the shared environment (0 until known)

    [[nodiscard]] model::Database& db() { return vault->database(); }
};

using Values = std::map<QString, QByteArray>;
using History = std::set<std::pair<QString, QByteArray>>;

class EngineWorld {
public:
    /// Creates the template vault (the slow key derivation, once); false with a reason on failure.
    [[nodiscard]] bool init(QString& error);
    /// A fresh vault copy with an identity named `name`, using `transports` (the fake server by default).
    [[nodiscard]] EngineClient& addClient(const QString& name,
                                          std::optional<sync::TransportFactory> transports = std::nullopt);
    /// A team owned by clients[0], the others added as members; every vault stores the team (server URL unused).
    [[nodiscard]] bool makeTeam(QString& error);
    /// The owner shares project/environment (made locally with `secrets` first); every client learns the
    /// protocol id. Grants: the owner has write; grant() the others.
    [[nodiscard]] bool share(const QString& project, const QString& environment, const Values& secrets, QString& error);
    /// The owner grants `member` access to the shared environment at its current epoch.
    [[nodiscard]] bool grant(EngineClient& member, protocol::Access access, QString& error);

    /// syncAll on one client; on success the client's env id is filled in (after discovery).
    sync::Result<sync::SyncReport> sync(EngineClient& client);

    [[nodiscard]] Values values(EngineClient& client);
    [[nodiscard]] History history(EngineClient& client);
    /// Sets a secret locally (the outbox hook queues it).
    [[nodiscard]] bool set(EngineClient& client, const QString& name, const QByteArray& value);
    [[nodiscard]] bool remove(EngineClient& client, const QString& name);
    [[nodiscard]] bool rename(EngineClient& client, const QString& from, const QString& to);
    [[nodiscard]] std::size_t pending(EngineClient& client);

    FakeServer server;
    std::vector<std::unique_ptr<EngineClient>> clients;
    protocol::TeamId team{};
    protocol::EnvironmentId environment{};
    QString path() const { return m_dir.path(); }
    [[nodiscard]] const crypto::VaultKey& key() const { return *m_key; }

private:
    QTemporaryDir m_dir;
    QString m_template;
    std::optional<crypto::VaultKey> m_key;
    int m_serial = 0;
};

[[nodiscard]] QString describe(const Values& values);

} // namespace coffer::tests
