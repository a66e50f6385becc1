// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Store.h"
#include "model/Vault.h"
#include "sync/SyncEngine.h"
#include "sync/TeamService.h"
#include "tests/server/client/ServerProcess.h"
#include "tests/ui/SampleVault.h"

#include <QDir>
#include <QTemporaryDir>

#include <map>
#include <memory>
#include <optional>
#include <string>

/// A real coffer-server (SQLite, loopback http) and real vaults that talk to it through TeamService and
/// SyncEngine, for the team screens' tests and screenshots. Each person has a vault file of their own and a
/// connection to it here; the window under test opens the same file with its own connections.
namespace coffer::test {

inline const QString kTeamPassword = QStringLiteral("correct horse battery");

/// One person's vault: its file and this test's connection, store, engine and team service.
struct Person {
    QString name;
    QString path;
    std::optional<model::Vault> vault;
    std::optional<model::Store> store;
    std::unique_ptr<sync::SyncEngine> engine;
    std::unique_ptr<sync::TeamService> team;

    /// The id of project/environment in this vault (0 when absent).
    [[nodiscard]] std::int64_t environmentId(const QString& project, const QString& environment) {
        auto found = store->project(project);
        if (!found) {
            return 0;
        }
        auto env = store->environment(found->id, environment);
        return env ? env->id : 0;
    }
    [[nodiscard]] std::int64_t projectId(const QString& project) {
        auto found = store->project(project);
        return found ? found->id : 0;
    }
};

class TeamFixture {
public:
    /// Starts the server; an error text when it cannot.
    [[nodiscard]] std::expected<void, std::string> start() {
        if (!m_dir.isValid()) {
            return std::unexpected(std::string("no temporary folder"));
        }
        m_database = "sqlite:" + m_dir.filePath(QStringLiteral("server.db")).toStdString();
        m_server = std::make_unique<tests::ServerProcess>(COFFER_SERVER_PATH);
        tests::ServerOptions options;
        options.database = m_database;
        if (auto started = m_server->start(options); !started) {
            return std::unexpected(started.error());
        }
        m_url = QStringLiteral("http://%1:%2").arg(QString::fromStdString(m_server->host())).arg(m_server->port());
        return {};
    }

    [[nodiscard]] const QString& url() const noexcept { return m_url; }
    /// Stops the server (SIGTERM): the next call to it fails as offline.
    void stopServer() {
        if (m_server) {
            static_cast<void>(m_server->stop());
        }
    }
    [[nodiscard]] QString filePath(const QString& name) const { return m_dir.filePath(name); }

    /// The operator's one-time team code, as TeamService takes it.
    [[nodiscard]] std::expected<crypto::SecureBuffer, std::string> teamCode() const {
        auto code = tests::makeTeamCode(COFFER_SERVER_PATH, m_database);
        if (!code) {
            return std::unexpected(code.error());
        }
        return crypto::SecureBuffer::copyOf(std::string_view(*code));
    }

    /// A person with a new vault (the sample vault when `sample`, else empty), open here.
    Person& person(const QString& name, bool sample = false) {
        auto& person = m_people[name];
        if (person.vault) {
            return person;
        }
        person.name = name;
        person.path = m_dir.filePath(name + QStringLiteral(".coffer"));
        const std::string password = kTeamPassword.toStdString();
        if (sample) {
            static_cast<void>(createSampleVault(person.path, password));
        } else if (auto made = model::Vault::create(person.path, bytesOf(password), model::KdfCost::minimum()); made) {
            made->lock();
        }
        auto key = model::Vault::deriveKey(person.path, bytesOf(password));
        if (key) {
            if (auto vault = model::Vault::open(person.path, *key); vault) {
                person.vault.emplace(std::move(*vault));
                person.store.emplace(*person.vault, name);
                person.engine = std::make_unique<sync::SyncEngine>(*person.vault, *person.store);
                person.team = std::make_unique<sync::TeamService>(*person.vault, *person.store, *person.engine);
            }
        }
        return person;
    }

    /// `admin` invites `name` (a new vault), who joins; `confirm` makes the admin confirm them. The new
    /// person's member id, or an error text.
    std::expected<protocol::MemberId, std::string> invite(Person& admin, const protocol::TeamId& team, Person& invitee,
                                                          bool confirm = true, bool skipVerification = false) {
        auto code = admin.team->invite(team);
        if (!code) {
            return std::unexpected(code.error().message.toStdString());
        }
        auto joined = invitee.team->join(*code, invitee.name);
        if (!joined) {
            return std::unexpected(joined.error().message.toStdString());
        }
        auto member = admin.team->findMember(team, invitee.name);
        if (!member) {
            return std::unexpected(member.error().message.toStdString());
        }
        if (confirm) {
            auto confirmed =
                admin.team->confirm(team, member->id, protocol::Role::Member,
                                    skipVerification ? QString() : joined->myFingerprint, skipVerification);
            if (!confirmed) {
                return std::unexpected(confirmed.error().message.toStdString());
            }
        }
        return member->id;
    }

    /// Closes everyone's connection here (the window under test keeps its own).
    void closeAll() {
        for (auto& [name, person] : m_people) {
            person.team.reset();
            person.engine.reset();
            person.store.reset();
            if (person.vault) {
                person.vault->lock();
                person.vault.reset();
            }
        }
    }

    ~TeamFixture() { closeAll(); }

private:
    QTemporaryDir m_dir;
    std::string m_database;
    std::unique_ptr<tests::ServerProcess> m_server;
    QString m_url;
    std::map<QString, Person> m_people;
};

} // namespace coffer::test
