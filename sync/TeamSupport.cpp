// SPDX-License-Identifier: Apache-2.0
#include "sync/TeamSupport.h"

#include "crypto/Fingerprint.h"
#include "crypto/Hash.h"
#include "crypto/SealedBox.h"
#include "crypto/Sign.h"
#include "model/Database.h"
#include "model/Vault.h"
#include "sync/SyncDetail.h"
#include "sync/SyncEngine.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/Verify.h"

#include <QDateTime>

#include <array>

namespace coffer::sync::detail {

namespace {

constexpr int kAppendAttempts = 5;

template <std::size_t N> std::array<std::byte, N> fixedBytes(std::span<const std::byte> bytes) {
    std::array<std::byte, N> out{};
    if (bytes.size() == N) {
        std::copy(bytes.begin(), bytes.end(), out.begin());
    }
    return out;
}

} // namespace

std::int64_t nowSeconds() {
    return QDateTime::currentSecsSinceEpoch();
}

QString fingerprintOf(const protocol::MemberIdentity& identity) {
    return QString::fromStdString(crypto::fingerprint(identity.signKey, identity.boxKey));
}

QString normalizedFingerprint(const QString& text) {
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (!c.isSpace()) {
            out.append(c);
        }
    }
    return out;
}

QString hexText(std::span<const std::byte> bytes) {
    return QString::fromStdString(protocol::hex(bytes));
}

bool identityMatches(const protocol::MemberIdentity& identity, const protocol::MemberId& id) {
    if (protocol::memberId(identity) != id) {
        return false;
    }
    return crypto::verify(identity.signKey, protocol::identitySignedBytes(identity), identity.selfSignature)
        .has_value();
}

Result<Confirmations> loadConfirmations(model::Database& db, const protocol::TeamId& team) {
    auto query = db.prepare("SELECT member, display_name, verified, at FROM sync_confirmations WHERE team = ?1");
    if (!query) {
        return fail(query.error());
    }
    query->bindBlob(1, team.span());
    Confirmations out;
    while (true) {
        auto row = query->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        const auto member = query->columnView(0);
        if (member.size() != protocol::MemberId::size) {
            continue;
        }
        protocol::MemberId id;
        id.bytes = fixedBytes<protocol::MemberId::size>(member);
        out[id] = Confirmation{query->columnText(1), query->columnInt(2) != 0, query->columnInt(3)};
    }
    return out;
}

Result<void> storeConfirmation(model::Database& db, const protocol::TeamId& team, const protocol::MemberId& member,
                               const QString& displayName, bool verified) {
    auto insert = db.prepare("INSERT OR REPLACE INTO sync_confirmations (team, member, display_name, verified, at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) {
        return fail(insert.error());
    }
    auto done = insert->bindBlob(1, team.span())
                    .bindBlob(2, member.span())
                    .bind(3, displayName)
                    .bind(4, verified ? 1 : 0)
                    .bind(5, nowSeconds())
                    .run();
    if (!done) {
        return fail(done.error());
    }
    return {};
}

bool keysChanged(const Confirmations& confirmations, const protocol::MemberId& id, const QString& name) {
    if (confirmations.contains(id)) {
        return false;
    }
    for (const auto& [other, confirmation] : confirmations) {
        if (other != id && confirmation.displayName == name) {
            return true;
        }
    }
    return false;
}

std::vector<MemberInfo> rosterMembers(const TeamState& state, const Confirmations& confirmations) {
    std::vector<MemberInfo> out;
    if (!state.hasRoster()) {
        return out;
    }
    for (const auto& member : state.roster().members()) {
        MemberInfo info;
        info.id = member.id;
        info.name = QString::fromStdString(member.identity.displayName);
        info.fingerprint = fingerprintOf(member.identity);
        info.isMe = member.id == state.me().id;
        const auto confirmed = confirmations.find(member.id);
        info.verified = confirmed != confirmations.end() && confirmed->second.verified;
        if (member.removed) {
            info.status = MemberInfo::Status::Removed;
        } else {
            info.role = member.role;
            info.status = !info.isMe && keysChanged(confirmations, member.id, info.name)
                              ? MemberInfo::Status::KeysChanged
                              : MemberInfo::Status::Active;
        }
        out.push_back(std::move(info));
    }
    return out;
}

Result<std::vector<SharedEnvironment>> loadSharedEnvironments(model::Database& db, const protocol::TeamId& team) {
    auto query = db.prepare("SELECT se.environment_id, se.environment, p.name, e.name, e.is_protected "
                            "FROM sync_environments se JOIN environments e ON e.id = se.environment_id "
                            "JOIN projects p ON p.id = e.project_id WHERE se.team = ?1 "
                            "ORDER BY p.position, e.position");
    if (!query) {
        return fail(query.error());
    }
    query->bindBlob(1, team.span());
    std::vector<SharedEnvironment> out;
    while (true) {
        auto row = query->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        SharedEnvironment environment;
        environment.environmentId = query->columnInt(0);
        environment.id = fixedBytes<std::tuple_size_v<protocol::EnvironmentId>>(query->columnView(1));
        environment.project = query->columnText(2);
        environment.environment = query->columnText(3);
        environment.isProtected = query->columnInt(4) != 0;
        out.push_back(std::move(environment));
    }
    return out;
}

Result<std::map<std::int64_t, protocol::EnvironmentId>> sharedIds(model::Database& db, const protocol::TeamId& team) {
    auto environments = loadSharedEnvironments(db, team);
    if (!environments) {
        return std::unexpected(environments.error());
    }
    std::map<std::int64_t, protocol::EnvironmentId> out;
    for (const auto& environment : *environments) {
        out[environment.environmentId] = environment.id;
    }
    return out;
}

// ---- TeamSession ----

TeamSession::~TeamSession() = default;

Result<std::unique_ptr<TeamSession>> TeamSession::open(model::Vault& vault, SyncEngine& engine,
                                                       const protocol::TeamId& team) {
    auto state = TeamState::load(vault.database(), team);
    if (!state) {
        return std::unexpected(state.error());
    }
    std::unique_ptr<TeamSession> session(new TeamSession());
    session->m_state.emplace(std::move(*state));
    auto transport = engine.transports()(session->m_state->transportOptions());
    if (!transport) {
        return std::unexpected(transport.error());
    }
    session->m_transport = std::move(*transport);
    session->m_client = std::make_unique<ServerClient>(*session->m_transport, session->m_state->me().sign);
    return session;
}

Result<void> TeamSession::refresh(bool grants, bool allowOffline) {
    if (auto roster = m_state->refreshRoster(*m_client); !roster) {
        if (!(allowOffline && roster.error().code == ErrorCode::Offline)) {
            return roster;
        }
        return {};
    }
    if (grants) {
        if (auto refreshed = m_state->refreshGrants(*m_client); !refreshed) {
            if (!(allowOffline && refreshed.error().code == ErrorCode::Offline)) {
                return refreshed;
            }
        }
    }
    return {};
}

Result<void> TeamSession::requireAdmin(const QString& action) const {
    const auto role = m_state->myRole();
    if (!role || !protocol::isAdmin(*role)) {
        return fail(ErrorCode::NotAllowed, QStringLiteral("Only an admin can %1.").arg(action));
    }
    return {};
}

Result<void> TeamSession::appendEvent(protocol::RosterEventKind kind, const protocol::MemberIdentity& subject,
                                      protocol::Role role) {
    for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
        if (!m_state->hasRoster()) {
            return fail(ErrorCode::NotAllowed, QStringLiteral("The team's roster has not been read yet."));
        }
        const protocol::RosterState& roster = m_state->roster();
        const protocol::Head head = roster.head();
        protocol::RosterEvent event;
        event.team = roster.team();
        event.seq = head.seq + 1;
        event.previous = head.hash;
        event.kind = kind;
        event.subject = subject;
        event.role = role;
        event.signer = m_state->me().id;
        event.time = nowSeconds();
        protocol::signRosterEvent(event, m_state->me().sign.secretKey);

        // The same rules the server and every client apply: refuse here what they would refuse.
        protocol::RosterState check = roster;
        if (auto applied = check.apply(event); !applied) {
            return fail(ErrorCode::NotAllowed, QStringLiteral("The roster refuses this change: %1.")
                                                   .arg(QString::fromStdString(protocol::describe(applied.error()))));
        }
        auto appended = m_client->appendRoster(event.team, head, {event});
        if (appended) {
            return m_state->refreshRoster(*m_client);
        }
        if (appended.error().code != ErrorCode::Conflict) {
            return std::unexpected(appended.error());
        }
        // Someone appended first: read what they did and sign again on the new head.
        if (auto refreshed = m_state->refreshRoster(*m_client); !refreshed) {
            return refreshed;
        }
    }
    return fail(ErrorCode::Conflict,
                QStringLiteral("The team's roster kept changing while this change was made; try again."));
}

protocol::Grant TeamSession::makeGrant(const protocol::EnvironmentId& environment, std::uint64_t epoch,
                                       const protocol::MemberIdentity& member, protocol::Access access,
                                       const crypto::AeadKey& key) const {
    const protocol::Head head = m_state->roster().head();
    protocol::Grant grant;
    grant.team = m_state->roster().team();
    grant.environment = environment;
    grant.epoch = epoch;
    grant.member = protocol::memberId(member);
    grant.access = access;
    grant.sealedKey = crypto::seal(member.boxKey, key.bytes());
    grant.rosterSeq = head.seq;
    grant.rosterHead = head.hash;
    grant.admin = m_state->me().id;
    protocol::signGrant(grant, m_state->me().sign.secretKey);
    return grant;
}

Result<void> storeLocalAccess(model::Database& db, const TeamState& state) {
    auto q = db.prepare("SELECT environment_id, environment, access FROM sync_environments WHERE team = ?1");
    if (!q)
        return fail(q.error());
    std::vector<std::pair<std::int64_t, QString>> changed;
    q->bindBlob(1, state.record().team.bytes);
    auto read = detail::forEachRow(*q, [&](model::Statement& row) -> Result<void> {
        const auto id = detail::fixedBlob<16>(row.columnView(1));
        if (!id)
            return {};
        const std::uint64_t epoch = state.currentEpoch(*id);
        if (epoch == 0)
            return {}; // no grant known yet (a share whose grant is still being made): unchanged
        const auto access = state.access(*id, epoch, state.me().id);
        const QString word = !access                              ? QStringLiteral("none")
                             : *access == protocol::Access::Write ? QStringLiteral("write")
                                                                  : QStringLiteral("read");
        if (row.columnText(2) != word)
            changed.emplace_back(row.columnInt(0), word);
        return {};
    });
    if (!read)
        return read;
    for (const auto& [environmentId, word] : changed) {
        if (auto ok = detail::execute(db, "UPDATE sync_environments SET access = ?2 WHERE environment_id = ?1",
                                      environmentId, word);
            !ok)
            return ok;
    }
    return {};
}

} // namespace coffer::sync::detail
