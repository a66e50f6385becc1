// SPDX-License-Identifier: Apache-2.0
// TeamService: members (roster, confirmations, pending acceptances), confirm, findMember, setRole.
#include "sync/TeamService.h"

#include "model/Database.h"
#include "model/Vault.h"
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "sync/TeamSupport.h"
#include "sync/protocol/Canonical.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace coffer::sync {

namespace {

// How many times the stored roster added each member (the genesis counts for its subject).
std::map<protocol::MemberId, std::size_t> addCounts(model::Database& db, const protocol::TeamId& team) {
    std::map<protocol::MemberId, std::size_t> out;
    auto query = db.prepare("SELECT event FROM sync_roster_events WHERE team = ?1");
    if (!query) {
        return out;
    }
    query->bindBlob(1, team.span());
    while (true) {
        auto row = query->step();
        if (!row || !*row) {
            break;
        }
        auto event = protocol::decodeRosterEvent(query->columnView(0));
        if (event &&
            (event->kind == protocol::RosterEventKind::Add || event->kind == protocol::RosterEventKind::Genesis)) {
            ++out[protocol::memberId(event->subject)];
        }
    }
    return out;
}

// Acceptances whose identity verifies, one per member (the latest), of people not in the roster, or removed from
// it and accepted more invites than the roster added them (the same vault invited back).
std::vector<Acceptance> pendingAcceptances(model::Database& db, const TeamState& state,
                                           const std::vector<Acceptance>& acceptances) {
    std::map<protocol::MemberId, std::size_t> accepted;
    std::map<protocol::MemberId, Acceptance> latest;
    for (const auto& acceptance : acceptances) {
        if (!detail::identityMatches(acceptance.identity, acceptance.member)) {
            continue; // the server vouches for nothing: an identity that does not verify is never shown
        }
        ++accepted[acceptance.member];
        auto [it, inserted] = latest.try_emplace(acceptance.member, acceptance);
        if (!inserted && acceptance.acceptedAt >= it->second.acceptedAt) {
            it->second = acceptance;
        }
    }
    std::optional<std::map<protocol::MemberId, std::size_t>> added;
    std::vector<Acceptance> out;
    for (const auto& [id, acceptance] : latest) {
        const protocol::RosterMember* member = state.hasRoster() ? state.roster().member(id) : nullptr;
        if (member != nullptr) {
            if (!member->removed) {
                continue;
            }
            if (!added) {
                added = addCounts(db, state.roster().team());
            }
            const auto count = added->find(id);
            if (count != added->end() && accepted[id] <= count->second) {
                continue;
            }
        }
        out.push_back(acceptance);
    }
    std::sort(out.begin(), out.end(),
              [](const Acceptance& a, const Acceptance& b) { return a.acceptedAt < b.acceptedAt; });
    return out;
}

MemberInfo pendingInfo(const Acceptance& acceptance, const detail::Confirmations& confirmations) {
    MemberInfo info;
    info.id = acceptance.member;
    info.name = QString::fromStdString(acceptance.identity.displayName);
    info.fingerprint = detail::fingerprintOf(acceptance.identity);
    info.status = detail::keysChanged(confirmations, acceptance.member, info.name) ? MemberInfo::Status::KeysChanged
                                                                                   : MemberInfo::Status::Pending;
    return info;
}

std::size_t ownerCount(const protocol::RosterState& roster) {
    std::size_t owners = 0;
    for (const auto& member : roster.members()) {
        if (!member.removed && member.role == protocol::Role::Owner) {
            ++owners;
        }
    }
    return owners;
}

} // namespace

Result<std::vector<MemberInfo>> TeamService::members(const protocol::TeamId& team) {
    auto session = detail::TeamSession::open(m_vault, m_engine, team);
    if (!session) {
        return std::unexpected(session.error());
    }
    TeamState& state = (*session)->state();
    if (auto refreshed = (*session)->refresh(false, true); !refreshed) {
        // Before an admin added this vault, the server refuses it the roster: it is pending.
        if (!(refreshed.error().code == ErrorCode::Refused && !state.hasRoster())) {
            return std::unexpected(refreshed.error());
        }
    }
    auto confirmations = detail::loadConfirmations(m_vault.database(), team);
    if (!confirmations) {
        return std::unexpected(confirmations.error());
    }
    std::vector<MemberInfo> out = detail::rosterMembers(state, *confirmations);
    if (!state.hasRoster() || state.roster().member(state.me().id) == nullptr) {
        MemberInfo me;
        me.id = state.me().id;
        me.name = QString::fromStdString(state.me().identity.displayName);
        me.fingerprint = detail::fingerprintOf(state.me().identity);
        me.status = MemberInfo::Status::Pending;
        me.isMe = true;
        out.push_back(std::move(me));
    }
    const auto role = state.myRole();
    if (role && protocol::isAdmin(*role)) {
        auto acceptances = (*session)->client().acceptances(team);
        if (acceptances) {
            for (const auto& acceptance : pendingAcceptances(m_vault.database(), state, *acceptances)) {
                out.push_back(pendingInfo(acceptance, *confirmations));
            }
        } else if (acceptances.error().code != ErrorCode::Offline) {
            return std::unexpected(acceptances.error());
        }
    }
    return out;
}

Result<MemberInfo> TeamService::confirm(const protocol::TeamId& team, const protocol::MemberId& member,
                                        protocol::Role role, const QString& typedFingerprint, bool skipVerification) {
    auto session = detail::TeamSession::open(m_vault, m_engine, team);
    if (!session) {
        return std::unexpected(session.error());
    }
    TeamState& state = (*session)->state();
    if (auto refreshed = (*session)->refresh(false, false); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    if (auto admin = (*session)->requireAdmin(QStringLiteral("confirm members")); !admin) {
        return std::unexpected(admin.error());
    }

    // A roster member (re-verified after a key change) or a pending acceptance (added by this confirmation).
    protocol::MemberIdentity identity;
    const protocol::RosterMember* inRoster = state.roster().member(member);
    const protocol::RosterMember* current = inRoster != nullptr && !inRoster->removed ? inRoster : nullptr;
    if (current != nullptr) {
        identity = current->identity;
    } else {
        auto acceptances = (*session)->client().acceptances(team);
        if (!acceptances) {
            return std::unexpected(acceptances.error());
        }
        const auto pending = pendingAcceptances(m_vault.database(), state, *acceptances);
        const auto found = std::find_if(pending.begin(), pending.end(),
                                        [&](const Acceptance& acceptance) { return acceptance.member == member; });
        if (found == pending.end()) {
            if (inRoster != nullptr) {
                return fail(ErrorCode::NotAllowed,
                            QStringLiteral("%1 was removed from the team: invite them again, and confirm them once "
                                           "they have joined.")
                                .arg(QString::fromStdString(inRoster->identity.displayName)));
            }
            return fail(ErrorCode::NotFound, QStringLiteral("No member or accepted invite has that id."));
        }
        identity = found->identity;
    }
    const QString name = QString::fromStdString(identity.displayName);
    const QString fingerprint = detail::fingerprintOf(identity);
    if (!skipVerification &&
        detail::normalizedFingerprint(typedFingerprint) != detail::normalizedFingerprint(fingerprint)) {
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("The fingerprint does not match %1's keys: nothing was changed. Ask %1 to read "
                                   "their fingerprint again; if it still differs, someone else may hold the invite.")
                        .arg(name));
    }
    if (current == nullptr) {
        if (role == protocol::Role::Owner && state.myRole() != protocol::Role::Owner) {
            return fail(ErrorCode::NotAllowed, QStringLiteral("Only an owner can add an owner."));
        }
        if (auto added = (*session)->appendEvent(protocol::RosterEventKind::Add, identity, role); !added) {
            return std::unexpected(added.error());
        }
    }
    if (auto stored = detail::storeConfirmation(m_vault.database(), team, member, name, !skipVerification); !stored) {
        return std::unexpected(stored.error());
    }
    MemberInfo info;
    info.id = member;
    info.name = name;
    info.fingerprint = fingerprint;
    const protocol::RosterMember* now = state.hasRoster() ? state.roster().member(member) : nullptr;
    info.role = now != nullptr && !now->removed ? std::optional(now->role) : std::optional(role);
    info.status = MemberInfo::Status::Active;
    info.verified = !skipVerification;
    return info;
}

Result<MemberInfo> TeamService::findMember(const protocol::TeamId& team, const QString& nameOrFingerprint) {
    auto all = members(team);
    if (!all) {
        return std::unexpected(all.error());
    }
    const QString wanted = nameOrFingerprint.trimmed();
    if (wanted.isEmpty()) {
        return fail(ErrorCode::InvalidInput, QStringLiteral("Name a member (display name, fingerprint or id)."));
    }
    // An exact name wins; a removed member only when nobody current matches.
    std::vector<const MemberInfo*> matches;
    for (const auto& info : *all) {
        if (info.name == wanted) {
            matches.push_back(&info);
        }
    }
    if (matches.empty()) {
        const QString digits = detail::normalizedFingerprint(wanted);
        const QString lower = wanted.toLower();
        for (const auto& info : *all) {
            const bool byName = info.name.compare(wanted, Qt::CaseInsensitive) == 0;
            const bool byFingerprint =
                digits.size() >= 5 && detail::normalizedFingerprint(info.fingerprint).startsWith(digits);
            const bool byId = lower.size() >= 4 && detail::hexText(info.id.span()).startsWith(lower);
            if (byName || byFingerprint || byId) {
                matches.push_back(&info);
            }
        }
    }
    if (matches.size() > 1) {
        std::vector<const MemberInfo*> live;
        for (const auto* info : matches) {
            if (info->status != MemberInfo::Status::Removed) {
                live.push_back(info);
            }
        }
        if (!live.empty()) {
            matches = live;
        }
    }
    if (matches.empty()) {
        return fail(ErrorCode::NotFound, QStringLiteral("No member matches \"%1\".").arg(wanted));
    }
    if (matches.size() > 1) {
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("\"%1\" matches %2 members: use the fingerprint.").arg(wanted).arg(matches.size()));
    }
    return *matches.front();
}

Result<void> TeamService::setRole(const protocol::TeamId& team, const protocol::MemberId& member, protocol::Role role) {
    auto session = detail::TeamSession::open(m_vault, m_engine, team);
    if (!session) {
        return std::unexpected(session.error());
    }
    TeamState& state = (*session)->state();
    if (auto refreshed = (*session)->refresh(false, false); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    if (auto admin = (*session)->requireAdmin(QStringLiteral("change roles")); !admin) {
        return std::unexpected(admin.error());
    }
    const protocol::RosterMember* current = state.roster().member(member);
    if (current == nullptr || current->removed) {
        return fail(ErrorCode::NotFound, QStringLiteral("That member is not in the team."));
    }
    if (current->role == role) {
        return {};
    }
    if ((current->role == protocol::Role::Owner || role == protocol::Role::Owner) &&
        state.myRole() != protocol::Role::Owner) {
        return fail(ErrorCode::NotAllowed, QStringLiteral("Only an owner can make or unmake an owner."));
    }
    if (current->role == protocol::Role::Owner && ownerCount(state.roster()) <= 1) {
        return fail(ErrorCode::NotAllowed,
                    QStringLiteral("%1 is the team's only owner: make someone else an owner first.")
                        .arg(QString::fromStdString(current->identity.displayName)));
    }
    return (*session)->appendEvent(protocol::RosterEventKind::RoleChange, current->identity, role);
}

} // namespace coffer::sync
