// SPDX-License-Identifier: Apache-2.0
// The rows TeamState stands on: this vault's member identity (sync_identity), its teams (sync_teams), and
// the team fingerprint. Split from TeamState.cpp, which verifies and stores what the server sends.
#include "crypto/Hash.h"
#include "model/Database.h"
#include "sync/SyncDetail.h"
#include "sync/TeamState.h"
#include "sync/protocol/Canonical.h"

namespace coffer::sync {

using detail::execute;
using detail::fixedBlob;

namespace {

constexpr std::string_view kTeamFingerprintDomain = "coffer/team-fingerprint/v1";

Result<LocalIdentity> readIdentity(model::Statement& q) {
    const auto signSecret = q.columnSecret(0);
    const auto boxSecret = q.columnSecret(1);
    auto signPublic = fixedBlob<32>(q.columnView(2));
    auto boxPublic = fixedBlob<32>(q.columnView(3));
    auto selfSignature = fixedBlob<64>(q.columnView(5));
    auto signKey = crypto::SignSecretKey::fromBytes(signSecret.bytes());
    auto boxKey = crypto::BoxSecretKey::fromBytes(boxSecret.bytes());
    if (!signPublic || !boxPublic || !selfSignature || !signKey || !boxKey)
        return fail(ErrorCode::Vault,
                    QStringLiteral("The vault's team identity is damaged (a key has the wrong size)."));
    LocalIdentity me{crypto::SigningKeyPair{std::move(*signKey), crypto::SignPublicKey{*signPublic}},
                     crypto::BoxKeyPair::fromSecretKey(*boxKey),
                     {},
                     {}};
    me.identity.signKey = me.sign.publicKey;
    me.identity.boxKey = me.box.publicKey;
    me.identity.displayName = q.columnText(4).toStdString();
    me.identity.selfSignature = crypto::Signature{*selfSignature};
    me.id = protocol::memberId(me.identity);
    return me;
}

std::optional<std::vector<std::byte>> blobOrNull(const model::Statement& q, int index) {
    if (q.columnIsNull(index))
        return std::nullopt;
    const auto view = q.columnView(index);
    return std::vector<std::byte>(view.begin(), view.end());
}

Result<TeamRecord> readTeam(const model::Statement& q) {
    auto team = fixedBlob<32>(q.columnView(0));
    if (!team)
        return fail(ErrorCode::Vault, QStringLiteral("A stored team id has the wrong size."));
    TeamRecord record;
    record.team = protocol::TeamId{*team};
    record.name = q.columnText(1);
    record.serverUrl = q.columnText(2);
    record.caFile = q.columnText(3);
    if (auto invited = blobOrNull(q, 4)) {
        auto id = fixedBlob<32>(*invited);
        if (!id)
            return fail(ErrorCode::Vault, QStringLiteral("A stored member id has the wrong size."));
        record.invitedBy = protocol::MemberId{*id};
    }
    if (!q.columnIsNull(5)) {
        auto hash = fixedBlob<32>(q.columnView(6));
        if (!hash)
            return fail(ErrorCode::Vault, QStringLiteral("A stored roster head has the wrong size."));
        record.rosterHead = protocol::Head{static_cast<std::uint64_t>(q.columnInt(5)), protocol::Hash{*hash}};
    }
    record.status = q.columnText(7);
    return record;
}

constexpr std::string_view kTeamColumns =
    "SELECT team, name, server_url, ca_file, invited_by, roster_seq, roster_hash, status FROM sync_teams";

} // namespace

QString teamFingerprint(const protocol::TeamId& team) {
    crypto::Blake2b hasher;
    hasher.update(kTeamFingerprintDomain).update(team.span());
    return detail::digitGroups(hasher.finish());
}

Result<LocalIdentity> loadIdentity(model::Database& db) {
    auto q = db.prepare("SELECT sign_secret, box_secret, sign_public, box_public, display_name, self_signature "
                        "FROM sync_identity WHERE id = 1");
    if (!q)
        return fail(q.error());
    auto row = q->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("This vault has no team identity yet."));
    return readIdentity(*q);
}

Result<LocalIdentity> ensureIdentity(model::Database& db, const QString& displayName) {
    auto existing = loadIdentity(db);
    if (existing || existing.error().code != ErrorCode::NotFound)
        return existing;
    const std::string name = displayName.toStdString();
    if (name.empty() || name.size() > protocol::kMaxDisplayNameBytes || displayName.trimmed() != displayName)
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("A display name has 1 to 128 bytes and no leading or trailing spaces."));
    LocalIdentity me{crypto::SigningKeyPair::keygen(), crypto::BoxKeyPair::keygen(), {}, {}};
    me.identity.signKey = me.sign.publicKey;
    me.identity.boxKey = me.box.publicKey;
    me.identity.displayName = name;
    protocol::signIdentity(me.identity, me.sign.secretKey);
    me.id = protocol::memberId(me.identity);
    if (auto ok = execute(db,
                          "INSERT INTO sync_identity (id, sign_secret, box_secret, sign_public, box_public, "
                          "display_name, self_signature, created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          std::span<const std::byte>(me.sign.secretKey.bytes()),
                          std::span<const std::byte>(me.box.secretKey.bytes()), me.identity.signKey.bytes,
                          me.identity.boxKey.bytes, displayName, me.identity.selfSignature.bytes, detail::nowMs());
        !ok)
        return std::unexpected(ok.error());
    return me;
}

Result<std::vector<TeamRecord>> loadTeams(model::Database& db) {
    auto q = db.prepare(std::string(kTeamColumns) + " ORDER BY joined_at, name");
    if (!q)
        return fail(q.error());
    std::vector<TeamRecord> teams;
    auto read = detail::forEachRow(*q, [&](model::Statement& row) -> Result<void> {
        auto team = readTeam(row);
        if (!team)
            return std::unexpected(team.error());
        teams.push_back(std::move(*team));
        return {};
    });
    if (!read)
        return std::unexpected(read.error());
    return teams;
}

Result<TeamRecord> loadTeam(model::Database& db, const protocol::TeamId& team) {
    auto q = db.prepare(std::string(kTeamColumns) + " WHERE team = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bindBlob(1, team.bytes).step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("This vault does not belong to that team."));
    return readTeam(*q);
}

Result<void> storeTeam(model::Database& db, const TeamRecord& team) {
    // UPDATE then INSERT: INSERT OR REPLACE would delete the row first and cascade to its roster and grants.
    return detail::transaction(db, [&]() -> Result<void> {
        auto q = db.prepare("UPDATE sync_teams SET name = ?2, server_url = ?3, ca_file = ?4, invited_by = ?5, "
                            "roster_seq = ?6, roster_hash = ?7, status = ?8 WHERE team = ?1");
        if (!q)
            return fail(q.error());
        q->bindBlob(1, team.team.bytes).bind(2, team.name).bind(3, team.serverUrl).bind(4, team.caFile);
        if (team.invitedBy)
            q->bindBlob(5, team.invitedBy->bytes);
        else
            q->bindNull(5);
        if (team.rosterHead) {
            q->bind(6, static_cast<std::int64_t>(team.rosterHead->seq)).bindBlob(7, team.rosterHead->hash.bytes);
        } else {
            q->bindNull(6).bindNull(7);
        }
        q->bind(8, team.status);
        if (auto ok = q->run(); !ok)
            return fail(ok.error());
        if (db.changes() > 0)
            return {};
        auto insert = db.prepare("INSERT INTO sync_teams (team, name, server_url, ca_file, invited_by, roster_seq, "
                                 "roster_hash, status, joined_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        if (!insert)
            return fail(insert.error());
        insert->bindBlob(1, team.team.bytes).bind(2, team.name).bind(3, team.serverUrl).bind(4, team.caFile);
        if (team.invitedBy)
            insert->bindBlob(5, team.invitedBy->bytes);
        else
            insert->bindNull(5);
        if (team.rosterHead) {
            insert->bind(6, static_cast<std::int64_t>(team.rosterHead->seq)).bindBlob(7, team.rosterHead->hash.bytes);
        } else {
            insert->bindNull(6).bindNull(7);
        }
        insert->bind(8, team.status).bind(9, detail::nowMs());
        if (auto ok = insert->run(); !ok)
            return fail(ok.error());
        return {};
    });
}

} // namespace coffer::sync
