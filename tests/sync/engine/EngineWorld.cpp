// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/engine/EngineWorld.h"

#include "crypto/SealedBox.h"
#include "model/Database.h"
#include "sync/ServerClient.h"
#include "sync/protocol/Canonical.h"

#include <QFile>

#include <span>

namespace coffer::tests {
namespace {

std::span<const std::byte> bytesOf(const QByteArray& data) {
    return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

QByteArray toByteArray(const crypto::SecureBuffer& buffer) {
    return {reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(buffer.size())};
}

std::int64_t localEnvironment(model::Database& db, const protocol::EnvironmentId& id) {
    auto q = db.prepare("SELECT environment_id FROM sync_environments WHERE environment = ?1");
    if (!q || !q->bindBlob(1, id).step().value_or(false))
        return 0;
    return q->columnInt(0);
}

} // namespace

bool EngineWorld::init(QString& error) {
    if (!m_dir.isValid()) {
        error = QStringLiteral("no temporary folder");
        return false;
    }
    m_template = m_dir.filePath(QStringLiteral("template.coffer"));
    auto created = model::Vault::create(m_template, bytesOf("pw"), model::KdfCost::minimum());
    if (!created) {
        error = created.error().message();
        return false;
    }
    created->lock();
    auto key = model::Vault::deriveKey(m_template, bytesOf("pw"));
    if (!key) {
        error = key.error().message();
        return false;
    }
    m_key.emplace(std::move(*key));
    return true;
}

EngineClient& EngineWorld::addClient(const QString& name, std::optional<sync::TransportFactory> transports) {
    auto client = std::make_unique<EngineClient>();
    client->name = name;
    const QString path = m_dir.filePath(QStringLiteral("%1-%2.coffer").arg(name).arg(++m_serial));
    QFile::copy(m_template, path);
    auto vault = model::Vault::open(path, *m_key);
    Q_ASSERT(vault);
    client->vault.emplace(std::move(*vault));
    client->store.emplace(*client->vault, name);
    client->engine.emplace(*client->vault, *client->store, transports ? *transports : server.factory());
    auto me = sync::ensureIdentity(client->db(), name);
    Q_ASSERT(me);
    client->id = me->id;
    clients.push_back(std::move(client));
    return *clients.back();
}

bool EngineWorld::makeTeam(QString& error) {
    EngineClient& owner = *clients.front();
    auto me = sync::loadIdentity(owner.db());
    if (!me) {
        error = me.error().message;
        return false;
    }
    std::vector<protocol::RosterEvent> events;
    protocol::RosterEvent genesis;
    genesis.kind = protocol::RosterEventKind::Genesis;
    genesis.subject = me->identity;
    genesis.role = protocol::Role::Owner;
    genesis.signer = me->id;
    genesis.time = 1'700'000'000;
    protocol::signRosterEvent(genesis, me->sign.secretKey);
    team = protocol::teamIdOf(genesis);
    events.push_back(genesis);
    for (std::size_t i = 1; i < clients.size(); ++i) {
        auto member = sync::loadIdentity(clients[i]->db());
        if (!member) {
            error = member.error().message;
            return false;
        }
        protocol::RosterEvent add;
        add.team = team;
        add.seq = events.size();
        add.previous = protocol::rosterEventHash(events.back());
        add.kind = protocol::RosterEventKind::Add;
        add.subject = member->identity;
        add.role = protocol::Role::Member;
        add.signer = me->id;
        add.time = genesis.time + static_cast<std::int64_t>(i);
        protocol::signRosterEvent(add, me->sign.secretKey);
        events.push_back(add);
    }
    server.setRoster(team, events);
    for (std::size_t i = 0; i < clients.size(); ++i) {
        sync::TeamRecord record;
        record.team = team;
        record.name = QStringLiteral("acme");
        record.serverUrl = QStringLiteral("http://127.0.0.1:9");
        if (i > 0)
            record.invitedBy = me->id;
        if (auto ok = sync::storeTeam(clients[i]->db(), record); !ok) {
            error = ok.error().message;
            return false;
        }
    }
    return true;
}

bool EngineWorld::share(const QString& project, const QString& environmentName, const Values& secrets, QString& error) {
    EngineClient& owner = *clients.front();
    auto addedProject = owner.store->addProject(project);
    if (!addedProject) {
        error = addedProject.error().message();
        return false;
    }
    auto added = owner.store->addEnvironment(addedProject->id, environmentName);
    if (!added) {
        error = added.error().message();
        return false;
    }
    for (const auto& [name, value] : secrets) {
        if (auto ok = owner.store->setSecret(added->id, name, bytesOf(value)); !ok) {
            error = ok.error().message();
            return false;
        }
    }
    auto state = sync::TeamState::load(owner.db(), team);
    if (!state) {
        error = state.error().message;
        return false;
    }
    auto transport = owner.engine->transports()(state->transportOptions());
    sync::ServerClient client(**transport, state->me().sign);
    if (auto ok = state->refreshRoster(client); !ok) {
        error = ok.error().message;
        return false;
    }
    if (auto ok = owner.engine->shareEnvironment(*state, added->id); !ok) {
        error = ok.error().message;
        return false;
    }
    owner.env = added->id;
    auto q = owner.db().prepare("SELECT environment FROM sync_environments WHERE environment_id = ?1");
    if (!q || !q->bind(1, added->id).step().value_or(false)) {
        error = QStringLiteral("no sync row after sharing");
        return false;
    }
    const auto view = q->columnView(0);
    std::copy(view.begin(), view.end(), environment.begin());
    return true;
}

bool EngineWorld::grant(EngineClient& member, protocol::Access access, QString& error) {
    EngineClient& owner = *clients.front();
    auto state = sync::TeamState::load(owner.db(), team);
    if (!state) {
        error = state.error().message;
        return false;
    }
    auto transport = owner.engine->transports()(state->transportOptions());
    sync::ServerClient client(**transport, state->me().sign);
    if (auto ok = state->refreshRoster(client); !ok) {
        error = ok.error().message;
        return false;
    }
    const auto* target = state->roster().member(member.id);
    if (target == nullptr) {
        error = QStringLiteral("not in the roster");
        return false;
    }
    std::vector<protocol::Grant> grants;
    const std::uint64_t current = state->currentEpoch(environment);
    for (std::uint64_t epoch = 1; epoch <= current; ++epoch) {
        const crypto::AeadKey* key = state->key(environment, epoch);
        if (key == nullptr)
            continue;
        protocol::Grant grant;
        grant.team = team;
        grant.environment = environment;
        grant.epoch = epoch;
        grant.member = member.id;
        grant.access = epoch == current ? access : protocol::Access::Read;
        grant.sealedKey = crypto::seal(target->identity.boxKey, key->bytes());
        grant.rosterSeq = state->roster().head().seq;
        grant.rosterHead = state->roster().head().hash;
        grant.admin = state->me().id;
        protocol::signGrant(grant, state->me().sign.secretKey);
        grants.push_back(grant);
    }
    if (auto ok = client.putGrants(team, grants); !ok) {
        error = ok.error().message;
        return false;
    }
    if (auto ok = state->addOwnGrants(grants, {}); !ok) {
        error = ok.error().message;
        return false;
    }
    return true;
}

sync::Result<sync::SyncReport> EngineWorld::sync(EngineClient& client) {
    auto report = client.engine->syncAll();
    if (client.env == 0)
        client.env = localEnvironment(client.db(), environment);
    return report;
}

Values EngineWorld::values(EngineClient& client) {
    Values out;
    if (client.env == 0)
        return out;
    auto secrets = client.store->secrets(client.env);
    if (!secrets)
        return out;
    for (const auto& secret : *secrets) {
        auto value = client.store->value(secret.id);
        if (value)
            out[secret.name] = toByteArray(*value);
    }
    return out;
}

History EngineWorld::history(EngineClient& client) {
    History out;
    if (client.env == 0)
        return out;
    auto secrets = client.store->secrets(client.env, true);
    if (!secrets)
        return out;
    for (const auto& secret : *secrets) {
        auto versions = client.store->history(secret.id);
        if (!versions)
            continue;
        for (const auto& version : *versions) {
            auto value = client.store->value(secret.id, version.version);
            if (value)
                out.emplace(version.name, toByteArray(*value));
        }
    }
    return out;
}

bool EngineWorld::set(EngineClient& client, const QString& name, const QByteArray& value) {
    return client.store->setSecret(client.env, name, bytesOf(value)).has_value();
}

bool EngineWorld::remove(EngineClient& client, const QString& name) {
    auto secret = client.store->secret(client.env, name);
    return secret && client.store->deleteSecret(secret->id).has_value();
}

bool EngineWorld::rename(EngineClient& client, const QString& from, const QString& to) {
    auto secret = client.store->secret(client.env, from);
    return secret && client.store->renameSecret(secret->id, to).has_value();
}

std::size_t EngineWorld::pending(EngineClient& client) {
    return client.engine->pendingChanges().value_or(9999);
}

QString describe(const Values& values) {
    QStringList parts;
    for (const auto& [name, value] : values)
        parts << name + QLatin1Char('=') + QString::fromUtf8(value);
    return parts.join(QStringLiteral(", "));
}

} // namespace coffer::tests
