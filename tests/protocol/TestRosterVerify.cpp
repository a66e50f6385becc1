// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Verify.h"

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

/// A roster under construction: each append() signs the next event onto the current head.
struct Chain {
    std::vector<RosterEvent> events;
    TeamId team{};

    explicit Chain(const Person& owner) {
        events.push_back(makeGenesis(owner));
        team = teamIdOf(events.front());
    }
    [[nodiscard]] Head head() const { return Head{events.back().seq, rosterEventHash(events.back())}; }
    Chain& append(RosterEventKind kind, const Person& subject, Role role, const Person& signer) {
        events.push_back(makeEvent(team, head(), kind, subject, role, signer));
        return *this;
    }
    /// The next event, not appended (for tests that corrupt it first).
    [[nodiscard]] RosterEvent next(RosterEventKind kind, const Person& subject, Role role, const Person& signer) const {
        return makeEvent(team, head(), kind, subject, role, signer);
    }
};

/// Ada owns the team; Bob is an admin, Carol a member.
Chain baseChain() {
    Chain chain(ada());
    chain.append(RosterEventKind::Add, bob(), Role::Admin, ada());
    chain.append(RosterEventKind::Add, carol(), Role::Member, bob());
    return chain;
}

QString failure(const Result<RosterState>& result) {
    if (result) {
        return QStringLiteral("ok");
    }
    return QStringLiteral("%1 at %2").arg(codeString(result.error().code)).arg(result.error().position);
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

void resign(RosterEvent& event, const Person& signer) {
    signRosterEvent(event, signer.sign.secretKey);
}

} // namespace

class TestRosterVerify : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // A chain with adds, a role change and a removal verifies, and the state tells roles over time.
    void validChain() {
        Chain chain = baseChain();                                              // 0 genesis Ada, 1 Bob admin, 2 Carol
        chain.append(RosterEventKind::RoleChange, carol(), Role::Admin, bob()); // 3
        chain.append(RosterEventKind::Remove, bob(), Role::Member, carol());    // 4
        chain.append(RosterEventKind::Add, dave(), Role::Member, carol());      // 5
        chain.append(RosterEventKind::Add, bob(), Role::Member, ada());         // 6: removed, then back
        const auto state = verifyRoster(chain.events);
        QVERIFY2(state.has_value(), qPrintable(failure(state)));
        QVERIFY(state->team() == teamIdOf(chain.events.front()));
        QVERIFY(state->head() == chain.head());
        QCOMPARE(state->head().seq, std::uint64_t{6});
        QVERIFY(state->hashAt(0) == state->team());
        QVERIFY(state->hashAt(4) == rosterEventHash(chain.events[4]));
        QVERIFY(!state->hashAt(7).has_value());

        QCOMPARE(state->roleAt(carol().id, 1), std::optional<Role>());
        QCOMPARE(state->roleAt(carol().id, 2), std::optional<Role>(Role::Member));
        QCOMPARE(state->roleAt(carol().id, 3), std::optional<Role>(Role::Admin));
        QCOMPARE(state->roleAt(bob().id, 3), std::optional<Role>(Role::Admin));
        QCOMPARE(state->roleAt(bob().id, 4), std::optional<Role>());
        QCOMPARE(state->roleAt(bob().id, 6), std::optional<Role>(Role::Member));
        QCOMPARE(state->roleAt(ada().id, 0), std::optional<Role>(Role::Owner));
        QCOMPARE(state->roleAt(ada().id, 99), std::optional<Role>());

        const auto members = state->members();
        QCOMPARE(members.size(), std::size_t{4});
        QVERIFY(members[0].id == ada().id && members[1].id == bob().id && members[2].id == carol().id &&
                members[3].id == dave().id);
        const RosterMember* b = state->member(bob().id);
        QVERIFY(b != nullptr);
        QVERIFY(!b->removed);
        QCOMPARE(b->role, Role::Member);
        QCOMPARE(b->addedAt, std::uint64_t{6});
        QVERIFY(state->memberBySignKey(dave().sign.publicKey) == state->member(dave().id));
        QVERIFY(state->memberBySignKey(eve().sign.publicKey) == nullptr);
        QVERIFY(state->member(eve().id) == nullptr);

        // Pinned at any position of this chain: fine.
        QVERIFY(verifyRoster(chain.events, Head{3, rosterEventHash(chain.events[3])}).has_value());
        QVERIFY(verifyRoster(chain.events, chain.head()).has_value());
    }

    void emptyRoster() { QCOMPARE(failure(verifyRoster({})), expected(ErrorCode::Malformed, 0)); }

    void badSignature() {
        Chain chain = baseChain();
        chain.events[2].signature.bytes[0] ^= std::byte{1};
        QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::BadSignature, 2));
        Chain genesis = baseChain();
        genesis.events[0].signature.bytes[10] ^= std::byte{1};
        QCOMPARE(failure(verifyRoster(genesis.events)), expected(ErrorCode::BadSignature, 0));
        // A field changed after signing is a bad signature too.
        Chain changed = baseChain();
        changed.events[1].time += 1;
        QCOMPARE(failure(verifyRoster(changed.events)), expected(ErrorCode::BadSignature, 1));
        // Signed by Ada but claiming Bob as signer.
        Chain impostor = baseChain();
        RosterEvent event = impostor.next(RosterEventKind::Add, dave(), Role::Member, ada());
        event.signer = bob().id;
        impostor.events.push_back(event);
        QCOMPARE(failure(verifyRoster(impostor.events)), expected(ErrorCode::BadSignature, 3));
    }

    // The subject's identity must be self-signed: an admin cannot pair someone's sign key with a box
    // key or a name the key holder did not choose.
    void subjectSelfSignature() {
        Chain chain = baseChain();
        RosterEvent event = chain.next(RosterEventKind::Add, dave(), Role::Member, ada());
        event.subject.displayName = "Not Dave";
        resign(event, ada());
        chain.events.push_back(event);
        QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::BadSignature, 3));
    }

    void signerNotAuthorised() {
        {
            Chain chain = baseChain(); // Carol is a member, not an admin
            chain.append(RosterEventKind::Add, dave(), Role::Member, carol());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::SignerNotAuthorised, 3));
        }
        {
            Chain chain = baseChain(); // Bob removed, then signs
            chain.append(RosterEventKind::Remove, bob(), Role::Member, ada());
            chain.append(RosterEventKind::Add, dave(), Role::Member, bob());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::SignerNotAuthorised, 4));
        }
        {
            Chain chain = baseChain(); // never a member
            chain.append(RosterEventKind::Add, dave(), Role::Admin, eve());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::SignerNotAuthorised, 3));
        }
        {
            Chain chain = baseChain(); // demoted from admin, then signs
            chain.append(RosterEventKind::RoleChange, bob(), Role::Member, ada());
            chain.append(RosterEventKind::Add, dave(), Role::Member, bob());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::SignerNotAuthorised, 4));
        }
    }

    void ownerRules_data() {
        QTest::addColumn<int>("scenario");
        QTest::addColumn<QString>("result");
        QTest::newRow("admin adds an owner") << 0 << expected(ErrorCode::SignerNotAuthorised, 3);
        QTest::newRow("admin promotes to owner") << 1 << expected(ErrorCode::SignerNotAuthorised, 3);
        QTest::newRow("admin demotes the owner") << 2 << expected(ErrorCode::SignerNotAuthorised, 3);
        QTest::newRow("admin removes the owner") << 3 << expected(ErrorCode::SignerNotAuthorised, 3);
        QTest::newRow("owner promotes to owner") << 4 << QStringLiteral("ok");
        QTest::newRow("second owner demotes the first") << 5 << QStringLiteral("ok");
        QTest::newRow("sole owner removes self") << 6 << expected(ErrorCode::Malformed, 3);
        QTest::newRow("sole owner demotes self") << 7 << expected(ErrorCode::Malformed, 3);
        QTest::newRow("one of two owners removes self") << 8 << QStringLiteral("ok");
        QTest::newRow("owner adds an owner") << 9 << QStringLiteral("ok");
    }
    void ownerRules() {
        QFETCH(int, scenario);
        QFETCH(QString, result);
        Chain chain = baseChain(); // Ada owner, Bob admin, Carol member
        switch (scenario) {
        case 0:
            chain.append(RosterEventKind::Add, dave(), Role::Owner, bob());
            break;
        case 1:
            chain.append(RosterEventKind::RoleChange, carol(), Role::Owner, bob());
            break;
        case 2:
            chain.append(RosterEventKind::RoleChange, ada(), Role::Admin, bob());
            break;
        case 3:
            chain.append(RosterEventKind::Remove, ada(), Role::Member, bob());
            break;
        case 4:
            chain.append(RosterEventKind::RoleChange, bob(), Role::Owner, ada());
            break;
        case 5:
            chain.append(RosterEventKind::RoleChange, bob(), Role::Owner, ada());
            chain.append(RosterEventKind::RoleChange, ada(), Role::Member, bob());
            break;
        case 6:
            chain.append(RosterEventKind::Remove, ada(), Role::Member, ada());
            break;
        case 7:
            chain.append(RosterEventKind::RoleChange, ada(), Role::Admin, ada());
            break;
        case 8:
            chain.append(RosterEventKind::RoleChange, bob(), Role::Owner, ada());
            chain.append(RosterEventKind::Remove, ada(), Role::Member, ada());
            break;
        case 9:
            chain.append(RosterEventKind::Add, dave(), Role::Owner, ada());
            break;
        default:
            QFAIL("unknown scenario");
        }
        QCOMPARE(failure(verifyRoster(chain.events)), result);
    }

    void membershipRules() {
        {
            Chain chain = baseChain();
            chain.append(RosterEventKind::Add, carol(), Role::Admin, ada());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::Malformed, 3));
        }
        {
            Chain chain = baseChain();
            chain.append(RosterEventKind::Remove, dave(), Role::Member, ada());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::Malformed, 3));
        }
        {
            Chain chain = baseChain();
            chain.append(RosterEventKind::RoleChange, dave(), Role::Admin, ada());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::Malformed, 3));
        }
        {
            Chain chain = baseChain();
            chain.append(RosterEventKind::Remove, carol(), Role::Member, ada());
            chain.append(RosterEventKind::Remove, carol(), Role::Member, ada());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::Malformed, 4));
        }
        {
            // Bob's sign key with another box key: a second member may not share a sign key (the
            // server maps request keys to members).
            Person twin = makePerson(6, "Bob's twin");
            twin.identity.signKey = bob().sign.publicKey;
            signIdentity(twin.identity, bob().sign.secretKey);
            twin.id = memberId(twin.identity);
            Chain chain = baseChain();
            chain.append(RosterEventKind::Add, twin, Role::Member, ada());
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::Malformed, 3));
        }
        {
            Chain chain = baseChain();
            RosterEvent second = makeGenesis(dave());
            second.team = chain.team;
            second.seq = 3;
            second.previous = chain.head().hash;
            second.signer = ada().id;
            resign(second, ada());
            chain.events.push_back(second);
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::Malformed, 3));
        }
    }

    void genesisRules() {
        {
            RosterEvent genesis = makeGenesis(ada());
            genesis.role = Role::Admin;
            resign(genesis, ada());
            QCOMPARE(failure(RosterState::fromGenesis(genesis)), expected(ErrorCode::Malformed, 0));
        }
        {
            RosterEvent genesis = makeGenesis(ada());
            genesis.signer = bob().id;
            resign(genesis, bob());
            QCOMPARE(failure(RosterState::fromGenesis(genesis)), expected(ErrorCode::SignerNotAuthorised, 0));
        }
        {
            RosterEvent genesis = makeGenesis(ada());
            genesis.kind = RosterEventKind::Add;
            resign(genesis, ada());
            QCOMPARE(failure(RosterState::fromGenesis(genesis)), expected(ErrorCode::Malformed, 0));
        }
        {
            RosterEvent genesis = makeGenesis(ada());
            genesis.seq = 1;
            resign(genesis, ada());
            QCOMPARE(failure(RosterState::fromGenesis(genesis)), expected(ErrorCode::Gap, 0));
        }
        {
            RosterEvent genesis = makeGenesis(ada());
            genesis.team.bytes[0] = std::byte{1};
            resign(genesis, ada());
            QCOMPARE(failure(RosterState::fromGenesis(genesis)), expected(ErrorCode::WrongContext, 0));
        }
        {
            RosterEvent genesis = makeGenesis(ada());
            genesis.previous.bytes[0] = std::byte{1};
            resign(genesis, ada());
            QCOMPARE(failure(RosterState::fromGenesis(genesis)), expected(ErrorCode::BrokenChain, 0));
        }
        // Two geneses of one creator made at other times are other teams.
        RosterEvent later = makeGenesis(ada());
        later.time += 1;
        resign(later, ada());
        QVERIFY(teamIdOf(later) != teamIdOf(makeGenesis(ada())));
    }

    void gap() {
        Chain chain = baseChain();
        RosterEvent event = chain.next(RosterEventKind::Add, dave(), Role::Member, ada());
        event.seq += 1;
        resign(event, ada());
        chain.events.push_back(event);
        QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::Gap, 4));
        Chain dropped = baseChain();
        dropped.append(RosterEventKind::Add, dave(), Role::Member, ada());
        dropped.events.erase(dropped.events.begin() + 2);
        QCOMPARE(failure(verifyRoster(dropped.events)), expected(ErrorCode::Gap, 3));
    }

    void brokenChain() {
        Chain chain = baseChain();
        RosterEvent event = chain.next(RosterEventKind::Add, dave(), Role::Member, ada());
        event.previous = rosterEventHash(chain.events[1]);
        resign(event, ada());
        chain.events.push_back(event);
        QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::BrokenChain, 3));
    }

    void wrongTeam() {
        Chain chain = baseChain();
        const Chain other(dave());
        RosterEvent event = chain.next(RosterEventKind::Add, eve(), Role::Member, ada());
        event.team = other.team;
        resign(event, ada());
        chain.events.push_back(event);
        QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::WrongContext, 3));
    }

    void unknownVersion() {
        {
            Chain chain = baseChain();
            RosterEvent event = chain.next(RosterEventKind::Add, dave(), Role::Member, ada());
            event.version = 2;
            resign(event, ada());
            chain.events.push_back(event);
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::UnknownVersion, 3));
        }
        {
            Chain chain = baseChain();
            RosterEvent event = chain.next(RosterEventKind::Add, dave(), Role::Member, ada());
            event.subject.version = 2;
            signIdentity(event.subject, dave().sign.secretKey);
            resign(event, ada());
            chain.events.push_back(event);
            QCOMPARE(failure(verifyRoster(chain.events)), expected(ErrorCode::UnknownVersion, 3));
        }
        RosterEvent genesis = makeGenesis(ada());
        genesis.version = 0;
        resign(genesis, ada());
        QCOMPARE(failure(RosterState::fromGenesis(genesis)), expected(ErrorCode::UnknownVersion, 0));
    }

    void pinned() {
        Chain mine = baseChain();
        mine.append(RosterEventKind::Add, dave(), Role::Member, ada());
        const Head pin{3, rosterEventHash(mine.events[3])};
        // Another history from seq 3 on (the server shows someone else a different event).
        Chain theirs = baseChain();
        theirs.append(RosterEventKind::Add, eve(), Role::Member, ada());
        theirs.append(RosterEventKind::Add, dave(), Role::Member, ada());
        QVERIFY(verifyRoster(theirs.events).has_value());
        QCOMPARE(failure(verifyRoster(theirs.events, pin)), expected(ErrorCode::Fork, 3));
        // A shorter chain than the pinned head: rolled back.
        QCOMPARE(failure(verifyRoster(std::span(mine.events).first(3), pin)), expected(ErrorCode::Regression, 3));
        QCOMPARE(failure(verifyRoster(mine.events, Head{9, pin.hash})), expected(ErrorCode::Regression, 9));
    }

    // apply() on a verified state: a failed event changes nothing; the same seq with other content is
    // a fork, a replay of an applied event a regression.
    void applyIncrementally() {
        Chain chain = baseChain();
        auto state = verifyRoster(chain.events);
        QVERIFY(state.has_value());
        const Head before = state->head();
        RosterEvent bad = chain.next(RosterEventKind::Add, dave(), Role::Member, carol());
        QCOMPARE(failure(state->apply(bad)), expected(ErrorCode::SignerNotAuthorised, 3));
        QVERIFY(state->head() == before);
        QVERIFY(state->member(dave().id) == nullptr);
        const RosterEvent good = chain.next(RosterEventKind::Add, dave(), Role::Member, bob());
        QVERIFY(state->apply(good).has_value());
        QCOMPARE(state->head().seq, std::uint64_t{3});
        QCOMPARE(failure(state->apply(good)), expected(ErrorCode::Regression, 3));
        RosterEvent fork = chain.next(RosterEventKind::Add, eve(), Role::Member, bob());
        QCOMPARE(failure(state->apply(fork)), expected(ErrorCode::Fork, 3));
        QCOMPARE(failure(state->apply(chain.events[1])), expected(ErrorCode::Regression, 1));
    }
};

QTEST_GUILESS_MAIN(TestRosterVerify)
#include "TestRosterVerify.moc"
