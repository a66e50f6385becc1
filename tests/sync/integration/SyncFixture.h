// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/SyncEngine.h"
#include "sync/SyncError.h"
#include "sync/TeamService.h"
#include "sync/TeamState.h"
#include "sync/protocol/Types.h"
#include "tests/server/integration/ServerHarness.h"
#include "tests/sync/integration/ControlledTransport.h"

#include <QString>
#include <QTemporaryDir>

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coffer::tests {

/// One person's vault as the app holds it: Vault, Store, SyncEngine and TeamService over it, with a network
/// the test controls (offline, tampering). The vault has the cheapest key-derivation cost the policy allows.
struct VaultMember {
    QString name;
    QString path;
    std::string password;
    std::shared_ptr<NetworkControl> network = std::make_shared<NetworkControl>();
    std::unique_ptr<model::Vault> vault;
    std::unique_ptr<model::Store> store;
    std::unique_ptr<sync::SyncEngine> engine;
    std::unique_ptr<sync::TeamService> team;

    /// Closes everything (for a coffer-cli process to use the file); reopen() opens it again.
    void close();
    [[nodiscard]] std::expected<void, QString> reopen();

    /// The local id of PROJECT/ENV, or an error text.
    [[nodiscard]] std::expected<std::int64_t, QString> environmentId(const QString& project,
                                                                     const QString& environment);
    /// The current value of a live secret as text, or nullopt when there is none.
    [[nodiscard]] std::optional<QByteArray> value(std::int64_t environmentId, const QString& name);
    /// Sets a secret through the Store (as the app does); an error text on failure.
    [[nodiscard]] std::expected<void, QString> set(std::int64_t environmentId, const QString& name,
                                                   const QByteArray& value);
    /// Every version's value of a secret, oldest first (the secret's history).
    [[nodiscard]] std::vector<QByteArray> historyValues(std::int64_t environmentId, const QString& name);
    /// "project/env/name" -> "vN deleted? value" for every secret, deleted ones too: compared before and after a
    /// sync that must apply nothing.
    [[nodiscard]] std::map<QString, QByteArray> snapshot();
    /// One integer from a query on the vault's own database (sync tables), -1 on error.
    [[nodiscard]] std::int64_t scalar(const QString& sql);
    [[nodiscard]] sync::Result<sync::LocalIdentity> identity();
};

/// A shared project "app" with dev, staging and prod, as alice (the owner) set it up.
struct TeamWorld {
    protocol::TeamId team{};
    std::int64_t projectId = 0;                        ///< alice's
    std::map<QString, sync::SharedEnvironment> shared; ///< by environment name, alice's view
    std::map<QString, std::int64_t> aliceEnvironments; ///< local ids in alice's vault
};

/// What one invitee gets: a role and access per environment name.
struct Invitee {
    VaultMember* member = nullptr;
    std::map<QString, protocol::Access> access;
    protocol::Role role = protocol::Role::Member;
};

/// A real coffer-server (SQLite, or PostgreSQL when COFFER_TEST_BACKEND=postgres: see ServerHarness) and vaults
/// in a private folder.
class SyncFixture {
public:
    SyncFixture();
    ~SyncFixture();

    /// Prepares team codes and starts the server; an error text when it cannot.
    [[nodiscard]] std::expected<void, QString> start(int teamCodes = 1);
    /// Stops the server (SIGTERM, so SQLite is checkpointed): the database file is complete afterwards.
    [[nodiscard]] std::expected<void, QString> stopServer();
    /// http://127.0.0.1:PORT
    [[nodiscard]] QString serverUrl() const;
    [[nodiscard]] ServerProcess& server() { return *m_server; }
    [[nodiscard]] ServerHarness& harness() { return m_harness; }
    /// The SQLite database file of the server ("" on PostgreSQL).
    [[nodiscard]] QString sqlitePath() const;
    [[nodiscard]] QString tempPath(const QString& name) const { return m_dir.filePath(name); }

    /// A new vault for `name`, engine transports under the member's NetworkControl.
    [[nodiscard]] std::expected<std::unique_ptr<VaultMember>, QString> makeMember(const QString& name);

    /// alice creates team "acme" on `serverUrl` (default: this server), adds project "app" with dev (DB_URL,
    /// API_KEY), staging (DB_URL, S3_SECRET) and prod (DB_URL, API_KEY, STRIPE_KEY, SMTP_PASSWORD), shares it,
    /// then invites each invitee, who joins; alice compares and confirms the fingerprint the invitee read out,
    /// applies the access, and every invitee syncs once.
    [[nodiscard]] std::expected<TeamWorld, QString> buildTeam(VaultMember& alice, std::vector<Invitee> invitees,
                                                              const QString& serverUrl = {});
    /// Invite, join, confirm (fingerprint typed as read out) and grant one member.
    [[nodiscard]] std::expected<void, QString> addMember(VaultMember& alice, const TeamWorld& world,
                                                         const Invitee& invitee);

private:
    ServerHarness m_harness;
    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
};

/// One line for a failure message.
[[nodiscard]] QString describe(const sync::Error& error);
[[nodiscard]] QString describe(const model::Error& error);

/// The EnvironmentSync of `environmentId` in a report (nullptr when the run did not touch it).
[[nodiscard]] const sync::EnvironmentSync* findEnvironment(const sync::SyncReport& report, std::int64_t environmentId);

/// Human summary of a report, for failure messages.
[[nodiscard]] QString describe(const sync::SyncReport& report);

} // namespace coffer::tests

/// QVERIFY for a sync::Result / model::Result / std::expected<_, QString>: shows the error on failure.
#define SYNC_VERIFY(expr)                                                                                              \
    do {                                                                                                               \
        const auto& r_ = (expr);                                                                                       \
        QVERIFY2(r_.has_value(), r_.has_value() ? "" : qPrintable(::coffer::tests::errorText(r_.error())));            \
    } while (false)

namespace coffer::tests {
[[nodiscard]] inline QString errorText(const sync::Error& error) {
    return describe(error);
}
[[nodiscard]] inline QString errorText(const model::Error& error) {
    return describe(error);
}
[[nodiscard]] inline QString errorText(const QString& error) {
    return error;
}
[[nodiscard]] inline QString errorText(const std::string& error) {
    return QString::fromStdString(error);
}
} // namespace coffer::tests
