// SPDX-License-Identifier: Apache-2.0
// TeamService against a real coffer-server: create a team, invite, join, confirm (verified, wrong fingerprint,
// skipped), malformed invite codes, admin-only actions refused locally, never zero owners, keys changed.

#include "tests/sync/team/TeamTestSupport.h"

#include "crypto/Base64.h"
#include "crypto/Fingerprint.h"
#include "model/Database.h"
#include "sync/protocol/Canonical.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace coffer;
using namespace coffer::sync;
using namespace coffer::sync::testing;

namespace {

const MemberInfo* byName(const std::vector<MemberInfo>& members, const QString& name) {
    for (const auto& member : members) {
        if (member.name == name) {
            return &member;
        }
    }
    return nullptr;
}

} // namespace

class TestTeamLifecycle : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TeamServer m_server;
    int m_serial = 0;

    std::unique_ptr<TeamClient> client(const QString& name) {
        const QString folder = m_dir.filePath(QStringLiteral("v%1").arg(++m_serial));
        QDir().mkpath(folder);
        auto made = std::make_unique<TeamClient>(folder, name);
        return made->ok() ? std::move(made) : nullptr;
    }

    // alice creates a team; returns its id.
    std::optional<protocol::TeamId> createTeam(TeamClient& owner) {
        auto created =
            owner.team().createTeam(m_server.url(), QStringLiteral("acme"), owner.name(), m_server.teamCode());
        if (!created) {
            qWarning("createTeam: %s", qPrintable(created.error().message));
            return std::nullopt;
        }
        return created->team;
    }

    // `admin` invites `member`, who joins; the admin confirms (fingerprint read correctly) with `role`.
    bool addMember(TeamClient& admin, TeamClient& member, const protocol::TeamId& team,
                   protocol::Role role = protocol::Role::Member) {
        auto code = admin.team().invite(team);
        if (!code) {
            qWarning("invite: %s", qPrintable(code.error().message));
            return false;
        }
        auto joined = member.team().join(*code, member.name());
        if (!joined) {
            qWarning("join: %s", qPrintable(joined.error().message));
            return false;
        }
        auto confirmed = admin.team().confirm(
            team, protocol::memberId(TeamState::load(member.vault().database(), team)->me().identity), role,
            joined->myFingerprint);
        if (!confirmed) {
            qWarning("confirm: %s", qPrintable(confirmed.error().message));
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString problem = m_server.start(14);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    void cleanupTestCase() { m_server.stop(); }

    void createTeam() {
        auto alice = client(QStringLiteral("alice"));
        QVERIFY(alice);
        auto created = alice->team().createTeam(m_server.url(), QStringLiteral("acme"), QStringLiteral("alice"),
                                                m_server.teamCode());
        TEAM_VERIFY_OK(created);
        QCOMPARE(created->name, QStringLiteral("acme"));
        QCOMPARE(created->myRole, std::optional(protocol::Role::Owner));
        QCOMPARE(created->fingerprint, teamFingerprint(created->team));
        QVERIFY(created->status.isEmpty());

        auto teams = alice->team().teams();
        TEAM_VERIFY_OK(teams);
        QCOMPARE(teams->size(), std::size_t{1});
        QVERIFY(teams->front().team == created->team);
        TEAM_VERIFY_OK(alice->team().findTeam());
        TEAM_VERIFY_OK(alice->team().findTeam(QStringLiteral("acme")));
        TEAM_VERIFY_ERROR(alice->team().findTeam(QStringLiteral("other")), ErrorCode::NotFound);

        auto members = alice->team().members(created->team);
        TEAM_VERIFY_OK(members);
        QCOMPARE(members->size(), std::size_t{1});
        QCOMPARE(members->front().name, QStringLiteral("alice"));
        QVERIFY(members->front().isMe);
        QCOMPARE(members->front().role, std::optional(protocol::Role::Owner));
        QCOMPARE(members->front().status, MemberInfo::Status::Active);
    }

    void createTeamWithBadCode() {
        auto alice = client(QStringLiteral("alice"));
        QVERIFY(alice);
        auto created = alice->team().createTeam(m_server.url(), QStringLiteral("acme"), QStringLiteral("alice"),
                                                secretText(QStringLiteral("not-a-team-code")));
        TEAM_VERIFY_ERROR(created, ErrorCode::Refused);
        QVERIFY2(created.error().message.contains(QStringLiteral("team code")), qPrintable(created.error().message));
        auto teams = alice->team().teams();
        TEAM_VERIFY_OK(teams);
        QVERIFY(teams->empty());
        TEAM_VERIFY_ERROR(alice->team().findTeam(), ErrorCode::NotFound);

        auto empty = alice->team().createTeam(m_server.url(), QStringLiteral("acme"), QStringLiteral("alice"),
                                              secretText(QStringLiteral("\n")));
        TEAM_VERIFY_ERROR(empty, ErrorCode::InvalidInput);
    }

    void inviteJoinConfirm() {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        auto team = createTeam(*alice);
        QVERIFY(team);

        auto code = alice->team().invite(*team);
        TEAM_VERIFY_OK(code);
        QVERIFY(textOf(*code).startsWith(QStringLiteral("coffer-invite-1:")));

        auto joined = bob->team().join(*code, QStringLiteral("bob"));
        TEAM_VERIFY_OK(joined);
        QVERIFY(joined->team == *team);
        QCOMPARE(joined->teamFingerprint, teamFingerprint(*team));
        auto bobState = TeamState::load(bob->vault().database(), *team);
        TEAM_VERIFY_OK(bobState);
        QCOMPARE(joined->myFingerprint, QString::fromStdString(crypto::fingerprint(bobState->me().identity.signKey,
                                                                                   bobState->me().identity.boxKey)));
        QVERIFY(bobState->record().invitedBy.has_value());

        // The same code a second time: the server refuses it.
        auto carol = client(QStringLiteral("carol"));
        QVERIFY(carol);
        auto again = carol->team().join(*code, QStringLiteral("carol"));
        TEAM_VERIFY_ERROR(again, ErrorCode::Refused);
        QVERIFY(carol->team().teams()->empty());

        // Before confirmation bob only sees himself, pending; alice sees his acceptance with his fingerprint.
        auto bobView = bob->team().members(*team);
        TEAM_VERIFY_OK(bobView);
        QCOMPARE(bobView->size(), std::size_t{1});
        QCOMPARE(bobView->front().status, MemberInfo::Status::Pending);
        QVERIFY(bobView->front().isMe);
        auto aliceView = alice->team().members(*team);
        TEAM_VERIFY_OK(aliceView);
        const MemberInfo* pending = byName(*aliceView, QStringLiteral("bob"));
        QVERIFY(pending);
        QCOMPARE(pending->status, MemberInfo::Status::Pending);
        QCOMPARE(pending->fingerprint, joined->myFingerprint);

        // The fingerprint as read aloud (no spaces) matches.
        QString typed = joined->myFingerprint;
        typed.remove(QLatin1Char(' '));
        auto confirmed = alice->team().confirm(*team, pending->id, protocol::Role::Member, typed);
        TEAM_VERIFY_OK(confirmed);
        QCOMPARE(confirmed->status, MemberInfo::Status::Active);
        QVERIFY(confirmed->verified);

        aliceView = alice->team().members(*team);
        TEAM_VERIFY_OK(aliceView);
        QCOMPARE(aliceView->size(), std::size_t{2});
        const MemberInfo* added = byName(*aliceView, QStringLiteral("bob"));
        QVERIFY(added);
        QCOMPARE(added->status, MemberInfo::Status::Active);
        QCOMPARE(added->role, std::optional(protocol::Role::Member));
        QVERIFY(added->verified);

        // bob now reads the roster; the first read checked the team id and that the inviter is an admin.
        bobView = bob->team().members(*team);
        TEAM_VERIFY_OK(bobView);
        QCOMPARE(bobView->size(), std::size_t{2});
        QCOMPARE(byName(*bobView, QStringLiteral("alice"))->role, std::optional(protocol::Role::Owner));
        QVERIFY(byName(*bobView, QStringLiteral("bob"))->isMe);
        auto bobTeams = bob->team().teams();
        TEAM_VERIFY_OK(bobTeams);
        QCOMPARE(bobTeams->front().myRole, std::optional(protocol::Role::Member));
        QVERIFY(bobTeams->front().status.isEmpty());

        auto found = alice->team().findMember(*team, QStringLiteral("bob"));
        TEAM_VERIFY_OK(found);
        QVERIFY(found->id == added->id);
        auto byFingerprint = alice->team().findMember(*team, joined->myFingerprint.left(11));
        TEAM_VERIFY_OK(byFingerprint);
        QVERIFY(byFingerprint->id == added->id);
        TEAM_VERIFY_ERROR(alice->team().findMember(*team, QStringLiteral("zed")), ErrorCode::NotFound);
    }

    void confirmWrongFingerprintThenSkip() {
        auto alice = client(QStringLiteral("alice"));
        auto carol = client(QStringLiteral("carol"));
        QVERIFY(alice && carol);
        auto team = createTeam(*alice);
        QVERIFY(team);
        auto code = alice->team().invite(*team);
        TEAM_VERIFY_OK(code);
        auto joined = carol->team().join(*code, QStringLiteral("carol"));
        TEAM_VERIFY_OK(joined);
        auto found = alice->team().findMember(*team, QStringLiteral("carol"));
        TEAM_VERIFY_OK(found);
        QCOMPARE(found->status, MemberInfo::Status::Pending);

        // One digit off: refused, nothing added.
        QString wrong = joined->myFingerprint;
        wrong[0] = wrong[0] == QLatin1Char('1') ? QLatin1Char('2') : QLatin1Char('1');
        const std::size_t before = alice->requests->size();
        auto refused = alice->team().confirm(*team, found->id, protocol::Role::Member, wrong);
        TEAM_VERIFY_ERROR(refused, ErrorCode::InvalidInput);
        QVERIFY(refused.error().message.contains(QStringLiteral("does not match")));
        QCOMPARE(alice->writesSince(before), std::size_t{0});
        auto members = alice->team().members(*team);
        TEAM_VERIFY_OK(members);
        QCOMPARE(byName(*members, QStringLiteral("carol"))->status, MemberInfo::Status::Pending);
        auto carolView = carol->team().members(*team);
        TEAM_VERIFY_OK(carolView);
        QCOMPARE(carolView->size(), std::size_t{1});
        QCOMPARE(carolView->front().status, MemberInfo::Status::Pending);

        // Skipped: added, recorded as unverified.
        auto skipped = alice->team().confirm(*team, found->id, protocol::Role::Member, {}, true);
        TEAM_VERIFY_OK(skipped);
        QVERIFY(!skipped->verified);
        members = alice->team().members(*team);
        TEAM_VERIFY_OK(members);
        const MemberInfo* added = byName(*members, QStringLiteral("carol"));
        QVERIFY(added);
        QCOMPARE(added->status, MemberInfo::Status::Active);
        QVERIFY(!added->verified);
        auto query = alice->vault().database().prepare(
            "SELECT verified, display_name FROM sync_confirmations WHERE member = ?1");
        QVERIFY(query.has_value());
        query->bindBlob(1, found->id.span());
        auto row = query->step();
        QVERIFY(row && *row);
        QCOMPARE(query->columnInt(0), std::int64_t{0});
        QCOMPARE(query->columnText(1), QStringLiteral("carol"));
    }

    void malformedInviteCode_data() {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("why");
        const std::vector<std::byte> fixed(88, std::byte{7});
        auto withUrl = [&](const QByteArray& url) {
            std::vector<std::byte> raw = fixed;
            for (const char c : url) {
                raw.push_back(static_cast<std::byte>(c));
            }
            return QStringLiteral("coffer-invite-1:") + QString::fromStdString(crypto::toBase64url(raw));
        };
        QTest::newRow("empty") << QString() << QStringLiteral("empty");
        QTest::newRow("other text") << QStringLiteral("hello bob") << QStringLiteral("does not start");
        QTest::newRow("older prefix") << QStringLiteral("coffer-invite-0:AAAA") << QStringLiteral("does not start");
        QTest::newRow("not base64url") << QStringLiteral("coffer-invite-1:ab+/=") << QStringLiteral("damaged");
        QTest::newRow("truncated") << QStringLiteral("coffer-invite-1:") +
                                          QString::fromStdString(crypto::toBase64url(std::vector<std::byte>(40)))
                                   << QStringLiteral("truncated");
        QTest::newRow("no url") << withUrl({}) << QStringLiteral("truncated");
        QTest::newRow("ftp url") << withUrl("ftp://example.com") << QStringLiteral("server URL");
        QTest::newRow("not a url") << withUrl("just words") << QStringLiteral("server URL");
        QTest::newRow("bad utf-8") << withUrl("https://\xff\xfe.example") << QStringLiteral("server URL");
    }
    void malformedInviteCode() {
        QFETCH(QString, code);
        QFETCH(QString, why);
        auto dave = client(QStringLiteral("dave"));
        QVERIFY(dave);
        auto joined = dave->team().join(secretText(code), QStringLiteral("dave"));
        TEAM_VERIFY_ERROR(joined, ErrorCode::InvalidInput);
        QVERIFY2(joined.error().message.contains(QStringLiteral("not a valid invite code")),
                 qPrintable(joined.error().message));
        QVERIFY2(joined.error().message.contains(why), qPrintable(joined.error().message));
        QVERIFY(dave->requests->empty());
        QVERIFY(dave->team().teams()->empty());
    }

    void nonAdminRefusedLocally() {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        auto carol = client(QStringLiteral("carol"));
        QVERIFY(alice && bob && carol);
        auto team = createTeam(*alice);
        QVERIFY(team);
        QVERIFY(addMember(*alice, *bob, *team));
        auto carolCode = alice->team().invite(*team);
        TEAM_VERIFY_OK(carolCode);
        TEAM_VERIFY_OK(carol->team().join(*carolCode, QStringLiteral("carol")));
        const auto aliceId = alice->team().findMember(*team, QStringLiteral("alice"))->id;
        const auto carolId = alice->team().findMember(*team, QStringLiteral("carol"))->id;

        const std::size_t before = bob->requests->size();
        auto invite = bob->team().invite(*team);
        TEAM_VERIFY_ERROR(invite, ErrorCode::NotAllowed);
        QVERIFY2(invite.error().message.startsWith(QStringLiteral("Only an admin can")),
                 qPrintable(invite.error().message));
        TEAM_VERIFY_ERROR(bob->team().confirm(*team, carolId, protocol::Role::Member, {}, true), ErrorCode::NotAllowed);
        TEAM_VERIFY_ERROR(bob->team().setRole(*team, aliceId, protocol::Role::Member), ErrorCode::NotAllowed);
        TEAM_VERIFY_ERROR(bob->team().removeMember(*team, aliceId), ErrorCode::NotAllowed);
        TEAM_VERIFY_ERROR(bob->team().applyAccess(*team, {}), ErrorCode::NotAllowed);
        QCOMPARE(bob->writesSince(before), std::size_t{0});

        // bob does not see carol's pending acceptance (only admins do).
        auto bobView = bob->team().members(*team);
        TEAM_VERIFY_OK(bobView);
        QVERIFY(byName(*bobView, QStringLiteral("carol")) == nullptr);
    }

    void neverZeroOwners() {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        auto team = createTeam(*alice);
        QVERIFY(team);
        QVERIFY(addMember(*alice, *bob, *team, protocol::Role::Admin));
        const auto aliceId = alice->team().findMember(*team, QStringLiteral("alice"))->id;
        const auto bobId = alice->team().findMember(*team, QStringLiteral("bob"))->id;

        // alice is the only owner: she can neither step down nor be removed.
        std::size_t before = alice->requests->size();
        auto stepDown = alice->team().setRole(*team, aliceId, protocol::Role::Admin);
        TEAM_VERIFY_ERROR(stepDown, ErrorCode::NotAllowed);
        QVERIFY(stepDown.error().message.contains(QStringLiteral("only owner")));
        TEAM_VERIFY_ERROR(alice->team().removeMember(*team, aliceId), ErrorCode::NotAllowed);
        QCOMPARE(alice->writesSince(before), std::size_t{0});

        // bob, an admin, may not unmake or remove the owner.
        before = bob->requests->size();
        TEAM_VERIFY_ERROR(bob->team().setRole(*team, aliceId, protocol::Role::Member), ErrorCode::NotAllowed);
        TEAM_VERIFY_ERROR(bob->team().removeMember(*team, aliceId), ErrorCode::NotAllowed);
        TEAM_VERIFY_ERROR(bob->team().setRole(*team, bobId, protocol::Role::Owner), ErrorCode::NotAllowed);
        QCOMPARE(bob->writesSince(before), std::size_t{0});

        // With bob an owner too, alice may step down; then bob is the only owner and cannot.
        TEAM_VERIFY_OK(alice->team().setRole(*team, bobId, protocol::Role::Owner));
        TEAM_VERIFY_OK(alice->team().setRole(*team, aliceId, protocol::Role::Admin));
        auto members = bob->team().members(*team);
        TEAM_VERIFY_OK(members);
        QCOMPARE(byName(*members, QStringLiteral("alice"))->role, std::optional(protocol::Role::Admin));
        QCOMPARE(byName(*members, QStringLiteral("bob"))->role, std::optional(protocol::Role::Owner));
        TEAM_VERIFY_ERROR(bob->team().setRole(*team, bobId, protocol::Role::Member), ErrorCode::NotAllowed);
        // alice (admin) demotes herself to member: allowed, an owner remains.
        TEAM_VERIFY_OK(alice->team().setRole(*team, aliceId, protocol::Role::Member));
        TEAM_VERIFY_ERROR(alice->team().invite(*team), ErrorCode::NotAllowed);
    }

    // Two admins confirm at the same time: the one that loses the compare-and-append reads the roster again and
    // signs its Add on the new head.
    void concurrentConfirmRetriesOnNewHead() {
        auto alice = client(QStringLiteral("alice"));
        auto carol = client(QStringLiteral("carol"));
        auto dave = client(QStringLiteral("dave"));
        auto erin = client(QStringLiteral("erin"));
        QVERIFY(alice && carol && dave && erin);
        auto team = createTeam(*alice);
        QVERIFY(team);
        QVERIFY(addMember(*alice, *carol, *team, protocol::Role::Admin));
        for (auto* member : {dave.get(), erin.get()}) {
            auto code = alice->team().invite(*team);
            TEAM_VERIFY_OK(code);
            TEAM_VERIFY_OK(member->team().join(*code, member->name()));
        }
        auto daveInfo = alice->team().findMember(*team, QStringLiteral("dave"));
        auto erinInfo = alice->team().findMember(*team, QStringLiteral("erin"));
        TEAM_VERIFY_OK(daveInfo);
        TEAM_VERIFY_OK(erinInfo);

        // Right after carol read the roster, alice adds dave: carol's Add of erin meets a moved head.
        bool raced = false;
        std::optional<Error> aliceError;
        *carol->tamper = [&](const HttpRequest& request, HttpResponse&) {
            if (!raced && request.method == "GET" && request.path.ends_with("/roster")) {
                raced = true;
                auto added = alice->team().confirm(*team, daveInfo->id, protocol::Role::Member, daveInfo->fingerprint);
                if (!added) {
                    aliceError = added.error();
                }
            }
        };
        const std::size_t before = carol->requests->size();
        auto confirmed = carol->team().confirm(*team, erinInfo->id, protocol::Role::Member, erinInfo->fingerprint);
        *carol->tamper = {};
        QVERIFY(raced);
        QVERIFY2(!aliceError, aliceError ? qPrintable(aliceError->message) : "");
        TEAM_VERIFY_OK(confirmed);
        std::size_t appends = 0;
        for (std::size_t i = before; i < carol->requests->size(); ++i) {
            appends += carol->requests->at(i).starts_with("POST ") && carol->requests->at(i).ends_with("/roster");
        }
        QCOMPARE(appends, std::size_t{2});

        auto members = alice->team().members(*team);
        TEAM_VERIFY_OK(members);
        QCOMPARE(byName(*members, QStringLiteral("dave"))->status, MemberInfo::Status::Active);
        QCOMPARE(byName(*members, QStringLiteral("erin"))->status, MemberInfo::Status::Active);
        QCOMPARE(members->size(), std::size_t{4});
    }

    // A removed member invited back with the same vault: pending again, then added again after confirmation.
    void removedMemberInvitedBack() {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        auto team = createTeam(*alice);
        QVERIFY(team);
        QVERIFY(addMember(*alice, *bob, *team));
        TEAM_VERIFY_OK(bob->team().members(*team)); // bob has read the roster
        auto bobInfo = alice->team().findMember(*team, QStringLiteral("bob"));
        TEAM_VERIFY_OK(bobInfo);
        TEAM_VERIFY_OK(alice->team().removeMember(*team, bobInfo->id));
        TEAM_VERIFY_ERROR(alice->team().confirm(*team, bobInfo->id, protocol::Role::Member, bobInfo->fingerprint),
                          ErrorCode::NotAllowed);

        // A second join while still a member is refused locally; after the removal it is allowed.
        auto code = alice->team().invite(*team);
        TEAM_VERIFY_OK(code);
        auto joined = bob->team().join(*code, QStringLiteral("bob"));
        TEAM_VERIFY_OK(joined);
        QCOMPARE(joined->myFingerprint, bobInfo->fingerprint);
        auto members = alice->team().members(*team);
        TEAM_VERIFY_OK(members);
        std::size_t pending = 0;
        for (const auto& member : *members) {
            pending += member.id == bobInfo->id && member.status == MemberInfo::Status::Pending;
        }
        QCOMPARE(pending, std::size_t{1});
        TEAM_VERIFY_OK(alice->team().confirm(*team, bobInfo->id, protocol::Role::Member, bobInfo->fingerprint));
        auto found = alice->team().findMember(*team, QStringLiteral("bob"));
        TEAM_VERIFY_OK(found);
        QCOMPARE(found->status, MemberInfo::Status::Active);
        auto bobView = bob->team().members(*team);
        TEAM_VERIFY_OK(bobView);
        QCOMPARE(bobView->size(), std::size_t{2});
        auto again = alice->team().invite(*team);
        TEAM_VERIFY_OK(again);
        TEAM_VERIFY_ERROR(bob->team().join(*again, QStringLiteral("bob")), ErrorCode::NotAllowed);
    }

    void keysChangedBlockedUntilConfirmed() {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        auto carol = client(QStringLiteral("carol"));
        QVERIFY(alice && bob && carol);
        auto team = createTeam(*alice);
        QVERIFY(team);
        QVERIFY(addMember(*alice, *bob, *team));
        QVERIFY(addMember(*alice, *carol, *team, protocol::Role::Admin));
        const auto bobId = alice->team().findMember(*team, QStringLiteral("bob"))->id;
        TEAM_VERIFY_OK(alice->team().removeMember(*team, bobId));

        // "bob" comes back with a new vault (new keys). alice confirmed the old bob: the acceptance is flagged.
        auto newBob = client(QStringLiteral("bob"));
        QVERIFY(newBob);
        auto code = carol->team().invite(*team);
        TEAM_VERIFY_OK(code);
        auto joined = newBob->team().join(*code, QStringLiteral("bob"));
        TEAM_VERIFY_OK(joined);
        auto aliceView = alice->team().members(*team);
        TEAM_VERIFY_OK(aliceView);
        const MemberInfo* flagged = nullptr;
        for (const auto& member : *aliceView) {
            if (member.name == QStringLiteral("bob") && member.status != MemberInfo::Status::Removed) {
                flagged = &member;
            }
        }
        QVERIFY(flagged);
        QCOMPARE(flagged->status, MemberInfo::Status::KeysChanged);
        const protocol::MemberId newBobId = flagged->id;

        // carol (who never confirmed the old bob) adds him; on alice's vault he stays blocked: no grant.
        auto carolView = carol->team().members(*team);
        TEAM_VERIFY_OK(carolView);
        TEAM_VERIFY_OK(carol->team().confirm(*team, newBobId, protocol::Role::Member, joined->myFingerprint));
        auto found = alice->team().findMember(*team, joined->myFingerprint);
        TEAM_VERIFY_OK(found);
        QCOMPARE(found->status, MemberInfo::Status::KeysChanged);
        auto blocked = alice->team().applyAccess(*team, {AccessChange{newBobId, 1, protocol::Access::Read}});
        TEAM_VERIFY_ERROR(blocked, ErrorCode::NotAllowed);

        // A wrong fingerprint still does not unblock him; the right one does.
        TEAM_VERIFY_ERROR(alice->team().confirm(*team, newBobId, protocol::Role::Member, QStringLiteral("00000")),
                          ErrorCode::InvalidInput);
        auto reconfirmed = alice->team().confirm(*team, newBobId, protocol::Role::Member, joined->myFingerprint);
        TEAM_VERIFY_OK(reconfirmed);
        found = alice->team().findMember(*team, joined->myFingerprint);
        TEAM_VERIFY_OK(found);
        QCOMPARE(found->status, MemberInfo::Status::Active);
        QVERIFY(found->verified);
    }
};

QTEST_GUILESS_MAIN(TestTeamLifecycle)
#include "TestTeamLifecycle.moc"
