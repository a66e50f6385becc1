// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Verify.h"

#include "crypto/SealedBox.h"
#include "tests/protocol/ProtocolTestSupport.h"

#include <QTest>

using namespace coffer::protocol;
using coffer::test::ada;
using coffer::test::bob;
using coffer::test::carol;
using coffer::test::codeString;
using coffer::test::dave;
using coffer::test::eve;
using coffer::test::makeEvent;
using coffer::test::makeGenesis;
using coffer::test::makePerson;
using coffer::test::Person;

namespace {

/// 0 genesis (Ada owner), 1 Bob admin, 2 Carol member, 3 Dave member, 4 Dave removed, 5 Bob removed.
const RosterState& roster() {
    static const RosterState state = [] {
        std::vector<RosterEvent> events{makeGenesis(ada())};
        const TeamId team = teamIdOf(events.front());
        const auto append = [&](RosterEventKind kind, const Person& subject, Role role, const Person& signer) {
            events.push_back(
                makeEvent(team, Head{events.back().seq, rosterEventHash(events.back())}, kind, subject, role, signer));
        };
        append(RosterEventKind::Add, bob(), Role::Admin, ada());
        append(RosterEventKind::Add, carol(), Role::Member, bob());
        append(RosterEventKind::Add, dave(), Role::Member, bob());
        append(RosterEventKind::Remove, dave(), Role::Member, ada());
        append(RosterEventKind::Remove, bob(), Role::Member, ada());
        auto verified = verifyRoster(events);
        Q_ASSERT(verified.has_value());
        return std::move(*verified);
    }();
    return state;
}

const coffer::crypto::AeadKey& environmentKey() {
    static const auto key = coffer::crypto::AeadKey::fromBytes(coffer::test::filled<32>(0xe0));
    return key;
}

Grant makeGrant(const Person& admin, const Person& member, std::uint64_t rosterSeq, Access access = Access::Read) {
    Grant grant;
    grant.team = roster().team();
    grant.environment = coffer::test::filled<16>(0x22);
    grant.epoch = 1;
    grant.member = member.id;
    grant.access = access;
    grant.sealedKey = coffer::crypto::seal(member.box.publicKey, environmentKey().bytes());
    grant.rosterSeq = rosterSeq;
    grant.rosterHead = roster().hashAt(rosterSeq).value_or(Hash{});
    grant.admin = admin.id;
    signGrant(grant, admin.sign.secretKey);
    return grant;
}

QString failure(const Result<void>& result) {
    if (result) {
        return QStringLiteral("ok");
    }
    return QStringLiteral("%1 at %2").arg(codeString(result.error().code)).arg(result.error().position);
}

QString expected(ErrorCode code, std::uint64_t position) {
    return QStringLiteral("%1 at %2").arg(codeString(code)).arg(position);
}

} // namespace

class TestGrantVerify : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valid() {
        for (const Access access : {Access::Read, Access::Write}) {
            const Grant grant = makeGrant(bob(), carol(), 2, access);
            QCOMPARE(failure(verifyGrant(grant, roster())), QStringLiteral("ok"));
            // The sealed key opens for the grantee only.
            const auto opened = coffer::crypto::openSealed(carol().box, grant.sealedKey);
            QVERIFY(opened.has_value());
            QVERIFY(opened->equals(environmentKey().bytes()));
            QVERIFY(!coffer::crypto::openSealed(dave().box, grant.sealedKey).has_value());
        }
        // The owner grants to herself at the head.
        QCOMPARE(failure(verifyGrant(makeGrant(ada(), ada(), 5), roster())), QStringLiteral("ok"));
    }

    void unknownVersion() {
        Grant grant = makeGrant(bob(), carol(), 2);
        grant.version = 2;
        signGrant(grant, bob().sign.secretKey);
        QCOMPARE(failure(verifyGrant(grant, roster())), expected(ErrorCode::UnknownVersion, 0));
    }

    void wrongTeam() {
        Grant grant = makeGrant(bob(), carol(), 2);
        grant.team = teamIdOf(makeGenesis(eve()));
        signGrant(grant, bob().sign.secretKey);
        QCOMPARE(failure(verifyGrant(grant, roster())), expected(ErrorCode::WrongContext, 0));
    }

    void badSignature_data() {
        QTest::addColumn<int>("field");
        QTest::newRow("signature flipped") << 0;
        QTest::newRow("epoch changed") << 1;
        QTest::newRow("access raised") << 2;
        QTest::newRow("sealed key swapped") << 3;
        QTest::newRow("environment changed") << 4;
        QTest::newRow("member changed") << 5;
        QTest::newRow("signed by another admin") << 6;
    }
    void badSignature() {
        QFETCH(int, field);
        Grant grant = makeGrant(bob(), carol(), 2);
        switch (field) {
        case 0:
            grant.signature.bytes[5] ^= std::byte{0x40};
            break;
        case 1:
            grant.epoch = 2;
            break;
        case 2:
            grant.access = Access::Write;
            break;
        case 3:
            grant.sealedKey = coffer::crypto::seal(carol().box.publicKey, coffer::test::filled<32>(0x01));
            break;
        case 4:
            grant.environment[0] ^= std::byte{1};
            break;
        case 5:
            grant.member = ada().id;
            break;
        case 6:
            signGrant(grant, ada().sign.secretKey); // admin field still says Bob
            break;
        default:
            QFAIL("unknown field");
        }
        QCOMPARE(failure(verifyGrant(grant, roster())), expected(ErrorCode::BadSignature, 2));
    }

    void signerNotAuthorised() {
        // Carol is a member, not an admin.
        QCOMPARE(failure(verifyGrant(makeGrant(carol(), carol(), 2), roster())),
                 expected(ErrorCode::SignerNotAuthorised, 2));
        // Bob was not yet a member at seq 0.
        QCOMPARE(failure(verifyGrant(makeGrant(bob(), ada(), 0), roster())),
                 expected(ErrorCode::SignerNotAuthorised, 0));
        // Bob was removed at 5: his grants signed before stay valid, at 5 he is no admin.
        QCOMPARE(failure(verifyGrant(makeGrant(bob(), carol(), 4), roster())), QStringLiteral("ok"));
        QCOMPARE(failure(verifyGrant(makeGrant(bob(), carol(), 5), roster())),
                 expected(ErrorCode::SignerNotAuthorised, 5));
        // Eve was never a member.
        QCOMPARE(failure(verifyGrant(makeGrant(eve(), carol(), 2), roster())),
                 expected(ErrorCode::SignerNotAuthorised, 2));
    }

    void grantee() {
        // Dave is a member from 3 to 4 (removed at 4).
        QCOMPARE(failure(verifyGrant(makeGrant(ada(), dave(), 2), roster())), expected(ErrorCode::WrongContext, 2));
        QCOMPARE(failure(verifyGrant(makeGrant(ada(), dave(), 3), roster())), QStringLiteral("ok"));
        QCOMPARE(failure(verifyGrant(makeGrant(ada(), dave(), 4), roster())), expected(ErrorCode::WrongContext, 4));
        QCOMPARE(failure(verifyGrant(makeGrant(ada(), eve(), 5), roster())), expected(ErrorCode::WrongContext, 5));
    }

    void rosterPosition() {
        Grant fork = makeGrant(ada(), carol(), 3);
        fork.rosterHead = roster().hashAt(2).value();
        signGrant(fork, ada().sign.secretKey);
        QCOMPARE(failure(verifyGrant(fork, roster())), expected(ErrorCode::Fork, 3));
        Grant ahead = makeGrant(ada(), carol(), 5);
        ahead.rosterSeq = 6;
        signGrant(ahead, ada().sign.secretKey);
        QCOMPARE(failure(verifyGrant(ahead, roster())), expected(ErrorCode::Gap, 6));
    }

    void malformed() {
        Grant shortKey = makeGrant(ada(), carol(), 5);
        shortKey.sealedKey.pop_back();
        signGrant(shortKey, ada().sign.secretKey);
        QCOMPARE(failure(verifyGrant(shortKey, roster())), expected(ErrorCode::Malformed, 0));
        Grant badAccess = makeGrant(ada(), carol(), 5);
        badAccess.access = static_cast<Access>(7);
        signGrant(badAccess, ada().sign.secretKey);
        QCOMPARE(failure(verifyGrant(badAccess, roster())), expected(ErrorCode::Malformed, 0));
    }
};

QTEST_GUILESS_MAIN(TestGrantVerify)
#include "TestGrantVerify.moc"
