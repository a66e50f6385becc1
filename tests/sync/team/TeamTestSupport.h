// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the TeamService tests: a real coffer-server process on a private SQLite database (team codes made
// before it starts), and "clients": a vault (minimum KDF cost) with its Store, SyncEngine and TeamService, whose
// transports record every request's method and path, so a test can tell that a refusal was local.

#include "model/Store.h"
#include "model/Vault.h"
#include "sync/SyncEngine.h"
#include "sync/TeamService.h"
#include "sync/TeamState.h"
#include "tests/server/client/ServerProcess.h"

#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coffer::sync::testing {

/// One coffer-server on SQLite with `codes` team codes made before it started.
class TeamServer {
public:
    /// Empty on success, else why not.
    [[nodiscard]] QString start(int codes);
    [[nodiscard]] QString url() const;
    /// The next unused team code (fails the test when none is left: make more in start()).
    [[nodiscard]] crypto::SecureBuffer teamCode();
    void stop();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<tests::ServerProcess> m_server;
    std::vector<std::string> m_codes;
};

/// A vault with the sync stack over it. `requests` lists "METHOD /path" of every request sent.
class TeamClient {
public:
    TeamClient(const QString& folder, const QString& name);
    ~TeamClient();
    [[nodiscard]] bool ok() const { return m_service != nullptr; }

    [[nodiscard]] model::Vault& vault() { return *m_vault; }
    [[nodiscard]] model::Store& store() { return *m_store; }
    [[nodiscard]] SyncEngine& engine() { return *m_engine; }
    [[nodiscard]] TeamService& team() { return *m_service; }
    [[nodiscard]] const QString& name() const { return m_name; }

    /// The verified state of a team, refreshed (roster, grants) from the server.
    [[nodiscard]] Result<TeamState> refreshedState(const protocol::TeamId& team);
    /// Requests that changed something on the server (POST, PUT) since `from`.
    [[nodiscard]] std::size_t writesSince(std::size_t from) const;

    std::shared_ptr<std::vector<std::string>> requests = std::make_shared<std::vector<std::string>>();
    /// When set, changes every response before the client sees it (a tampering server).
    using Tamper = std::function<void(const HttpRequest&, HttpResponse&)>;
    std::shared_ptr<Tamper> tamper = std::make_shared<Tamper>();
    /// When set and true for a request, it is not sent: the exchange fails as Offline (a network cut).
    using Block = std::function<bool(const HttpRequest&)>;
    std::shared_ptr<Block> block = std::make_shared<Block>();

private:
    QString m_name;
    std::optional<model::Vault> m_vault;
    std::optional<model::Store> m_store;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<TeamService> m_service;
};

[[nodiscard]] crypto::SecureBuffer secretText(const QString& text);
[[nodiscard]] QString textOf(const crypto::SecureBuffer& buffer);
[[nodiscard]] std::span<const std::byte> bytesOf(const QByteArray& data);

} // namespace coffer::sync::testing

/// QVERIFY for a sync::Result: shows the error's code and message on failure.
#define TEAM_VERIFY_OK(expr)                                                                                           \
    do {                                                                                                               \
        const auto& ok_ = (expr);                                                                                      \
        QVERIFY2(ok_.has_value(), ok_.has_value() ? ""                                                                 \
                                                  : qPrintable(::coffer::sync::codeName(ok_.error().code) +            \
                                                               QStringLiteral(": ") + ok_.error().message));           \
    } while (false)

/// The expression fails with `code`; shows what happened otherwise.
#define TEAM_VERIFY_ERROR(expr, expected)                                                                              \
    do {                                                                                                               \
        const auto& r_ = (expr);                                                                                       \
        QVERIFY2(!r_.has_value(), "succeeded, expected an error");                                                     \
        QVERIFY2(r_.error().code == (expected),                                                                        \
                 qPrintable(QStringLiteral("got ") + ::coffer::sync::codeName(r_.error().code) +                       \
                            QStringLiteral(": ") + r_.error().message));                                               \
    } while (false)
