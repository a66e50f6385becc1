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

/// Ada owner, Bob admin, Carol and Dave members. Eve is not in the team.
const RosterState& roster() {
    static const RosterState state = [] {
        std::vector<RosterEvent> events{makeGenesis(ada())};
        const TeamId team = teamIdOf(events.front());
        const auto append = [&](const Person& subject, Role role) {
            events.push_back(makeEvent(team, Head{events.back().seq, rosterEventHash(events.back())},
                                       RosterEventKind::Add, subject, role, ada()));
        };
        append(bob(), Role::Admin);
        append(carol(), Role::Member);
        append(dave(), Role::Member);
        auto verified = verifyRoster(events);
        Q_ASSERT(verified.has_value());
        return std::move(*verified);
    }();
    return state;
}

const EnvironmentId kEnvironment = coffer::test::filled<16>(0x21);
const EnvironmentId kOtherEnvironment = coffer::test::filled<16>(0x22);

/// Write grants: Ada, Bob and Carol at epoch 1, only Ada at epoch 2. Dave reads only.
bool canWrite(const MemberId& author, std::uint64_t epoch) {
    if (epoch == 1) {
        return author == ada().id || author == bob().id || author == carol().id;
    }
    return epoch == 2 && author == ada().id;
}

const coffer::crypto::AeadKey& environmentKey() {
    static const auto key = coffer::crypto::AeadKey::fromBytes(coffer::test::filled<32>(0xe1));
    return key;
}

std::uint8_t g_nextId = 1;

/// `count` sealed and signed records by `author` onto `head`.
std::vector<ChangeRecord> batch(const Person& author, const Head& head, std::size_t count, std::uint64_t epoch = 1,
                                const EnvironmentId& environment = kEnvironment) {
    std::vector<ChangeRecord> records(count);
    std::vector<Change> changes(count);
    for (std::size_t i = 0; i < count; ++i) {
        records[i].team = roster().team();
        records[i].environment = environment;
        records[i].epoch = epoch;
        records[i].id = coffer::test::filled<16>(g_nextId++);
        records[i].author = author.id;
        changes[i].name = "SECRET_" + std::to_string(i);
        changes[i].value = coffer::crypto::SecureBuffer::copyOf(std::string_view("value"));
    }
    sealAndSignBatch(records, changes, head, environmentKey(), author.sign.secretKey);
    return records;
}

Head headOf(const std::vector<ChangeRecord>& records) {
    return Head{records.back().seq, recordHash(records.back())};
}

/// Three batches: Ada (3 records), Carol (2), Bob (1).
std::vector<ChangeRecord> validLog() {
    std::vector<ChangeRecord> log = batch(ada(), Head{}, 3);
    for (const auto& [author, count] : {std::pair{&carol(), std::size_t{2}}, std::pair{&bob(), std::size_t{1}}}) {
        const auto more = batch(*author, headOf(log), count);
        log.insert(log.end(), more.begin(), more.end());
    }
    return log;
}

QString failure(const Result<Head>& result) {
    if (result) {
        return QStringLiteral("ok");
    }
    return QStringLiteral("%1 at %2").arg(codeString(result.error().code)).arg(result.error().position);
}

QString expected(ErrorCode code, std::uint64_t position) {
    return QStringLiteral("%1 at %2").arg(codeString(code)).arg(position);
}

QString verifyFresh(const std::vector<ChangeRecord>& records, const Head& pinned = {}) {
    LogVerifier verifier(roster().team(), kEnvironment, pinned, roster(), canWrite);
    return failure(verifier.verify(records));
}

} // namespace

class TestLogVerifier : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validMultiBatchLog() {
        const auto log = validLog();
        QCOMPARE(log.size(), std::size_t{6});
        LogVerifier verifier(roster().team(), kEnvironment, Head{}, roster(), canWrite);
        const auto head = verifier.verify(log);
        QVERIFY2(head.has_value(), qPrintable(failure(head)));
        QVERIFY(*head == headOf(log));
        QVERIFY(verifier.head() == headOf(log));
        // Exactly the batch ends carry signatures.
        for (std::size_t i = 0; i < log.size(); ++i) {
            QCOMPARE(log[i].batchSignature.has_value(), i == 2 || i == 4 || i == 5);
            QCOMPARE(log[i].seq, std::uint64_t{i + 1});
        }
        // Every record opens under the environment key.
        for (const ChangeRecord& record : log) {
            const auto change = openChange(record, environmentKey());
            QVERIFY(change.has_value());
            QVERIFY(change->value.equals(coffer::crypto::asBytes("value")));
        }
        // An empty page changes nothing.
        QVERIFY(verifier.verify({}).value() == headOf(log));
    }

    // Pages that end on batch boundaries verify one after another from the pinned head.
    void pageByPage() {
        const auto log = validLog();
        LogVerifier verifier(roster().team(), kEnvironment, Head{}, roster(), canWrite);
        QVERIFY(verifier.verify(std::span(log).first(3)).has_value());
        QCOMPARE(verifier.head().seq, std::uint64_t{3});
        QVERIFY(verifier.verify(std::span(log).subspan(3, 2)).has_value());
        QVERIFY(verifier.verify(std::span(log).subspan(5)).has_value());
        QVERIFY(verifier.head() == headOf(log));
        // A new verifier pinned in the middle continues from there.
        const Head middle{3, recordHash(log[2])};
        QCOMPARE(verifyFresh({log.begin() + 3, log.end()}, middle), QStringLiteral("ok"));
    }

    void tamperedCiphertext() {
        auto log = validLog();
        log[1].ciphertext[4] ^= std::byte{1}; // in the middle of Ada's batch: the next link breaks
        QCOMPARE(verifyFresh(log), expected(ErrorCode::BrokenChain, 3));
        auto last = validLog();
        last[2].ciphertext[0] ^= std::byte{1}; // the signed end of a batch: the signature breaks
        QCOMPARE(verifyFresh(last), expected(ErrorCode::BadSignature, 3));
        auto end = validLog();
        end[5].ciphertext.back() ^= std::byte{1};
        QCOMPARE(verifyFresh(end), expected(ErrorCode::BadSignature, 6));
    }

    void tamperedFields() {
        auto epoch = validLog();
        epoch[2].epoch = 2; // Ada may write at 2, but the signed head no longer matches
        QCOMPARE(verifyFresh(epoch), expected(ErrorCode::BadSignature, 3));
        auto signature = validLog();
        signature[4].batchSignature->bytes[0] ^= std::byte{1};
        QCOMPARE(verifyFresh(signature), expected(ErrorCode::BadSignature, 5));
        auto otherKey = validLog();
        otherKey[5].batchSignature = coffer::crypto::sign(
            ada().sign.secretKey, batchSignedBytes(roster().team(), kEnvironment, 6, headOf(otherKey), bob().id));
        QCOMPARE(verifyFresh(otherKey), expected(ErrorCode::BadSignature, 6));
    }

    // Records of another environment (or team) are refused even when correctly signed there.
    void wrongContext() {
        const auto other = batch(ada(), Head{}, 2, 1, kOtherEnvironment);
        QCOMPARE(verifyFresh(other), expected(ErrorCode::WrongContext, 1));
        auto swapped = validLog();
        swapped[3] = batch(carol(), Head{3, recordHash(swapped[2])}, 1, 1, kOtherEnvironment).front();
        QCOMPARE(verifyFresh(swapped), expected(ErrorCode::WrongContext, 4));
        // Relabelled to this environment: the batch signature covered the other one.
        auto relabelled = batch(ada(), Head{}, 2, 1, kOtherEnvironment);
        for (auto& record : relabelled) {
            record.environment = kEnvironment;
        }
        relabelled[1].previous = recordHash(relabelled[0]);
        QCOMPARE(verifyFresh(relabelled), expected(ErrorCode::BadSignature, 2));
        LogVerifier otherTeam(teamIdOf(makeGenesis(eve())), kEnvironment, Head{}, roster(), canWrite);
        QCOMPARE(failure(otherTeam.verify(validLog())), expected(ErrorCode::WrongContext, 1));
    }

    void droppedRecord() {
        auto log = validLog();
        log.erase(log.begin() + 3);
        QCOMPARE(verifyFresh(log), expected(ErrorCode::Gap, 5));
        const auto full = validLog();
        // The page does not start right after the pinned head.
        QCOMPARE(verifyFresh({full.begin() + 3, full.end()}, Head{2, recordHash(full[1])}),
                 expected(ErrorCode::Gap, 4));
    }

    void replayedRecord() {
        auto log = validLog();
        log.push_back(log[2]); // an old record served again at the end
        QCOMPARE(verifyFresh(log), expected(ErrorCode::Gap, 3));
        auto renumbered = validLog();
        ChangeRecord replay = renumbered[2];
        replay.seq = 7; // renumbered to fit: its previous is still that of seq 3
        renumbered.push_back(replay);
        QCOMPARE(verifyFresh(renumbered), expected(ErrorCode::BrokenChain, 7));
    }

    // Served again at the pinned position, the same record is a gap, another one a fork.
    void fork() {
        const auto log = validLog();
        const Head pinned{3, recordHash(log[2])};
        auto other = batch(bob(), Head{2, recordHash(log[1])}, 1);
        QCOMPARE(verifyFresh(other, pinned), expected(ErrorCode::Fork, 3));
        QCOMPARE(verifyFresh({log[2]}, pinned), expected(ErrorCode::Gap, 3));
    }

    void unsignedTail() {
        auto log = validLog();
        log.back().batchSignature.reset();
        QCOMPARE(verifyFresh(log), expected(ErrorCode::UnsignedTail, 6));
        const auto full = validLog();
        QCOMPARE(verifyFresh({full.begin(), full.begin() + 4}), expected(ErrorCode::UnsignedTail, 4));
        QCOMPARE(verifyFresh({full.begin(), full.begin() + 2}), expected(ErrorCode::UnsignedTail, 1));
    }

    void authorNotAuthorised() {
        QCOMPARE(verifyFresh(batch(dave(), Head{}, 2)), expected(ErrorCode::SignerNotAuthorised, 1));
        QCOMPARE(verifyFresh(batch(eve(), Head{}, 1)), expected(ErrorCode::SignerNotAuthorised, 1));
        QCOMPARE(verifyFresh(batch(ada(), Head{}, 2, 2)), QStringLiteral("ok"));
        QCOMPARE(verifyFresh(batch(carol(), Head{}, 1, 2)), expected(ErrorCode::SignerNotAuthorised, 1));
        // No write check at all: nobody writes.
        LogVerifier noGrants(roster().team(), kEnvironment, Head{}, roster(), WriteCheck{});
        QCOMPARE(failure(noGrants.verify(batch(ada(), Head{}, 1))), expected(ErrorCode::SignerNotAuthorised, 1));
    }

    // One batch with records by two authors, signed by the last one: Carol cannot vouch for Ada's
    // records.
    void batchMixingAuthors() {
        std::vector<ChangeRecord> records = batch(ada(), Head{}, 3);
        records[2] = batch(carol(), Head{2, recordHash(records[1])}, 1).front();
        records[1].batchSignature.reset();
        records[2].batchSignature = coffer::crypto::sign(
            carol().sign.secretKey, batchSignedBytes(roster().team(), kEnvironment, 1, headOf(records), carol().id));
        QCOMPARE(verifyFresh(records), expected(ErrorCode::SignerNotAuthorised, 3));
    }

    void unknownVersion() {
        auto log = batch(ada(), Head{}, 2);
        log[1].version = 2;
        QCOMPARE(verifyFresh(log), expected(ErrorCode::UnknownVersion, 2));
    }

    void bounds() {
        auto log = batch(ada(), Head{}, 1);
        log[0].ciphertext.resize(kMaxCiphertextBytes + 1);
        QCOMPARE(verifyFresh(log), expected(ErrorCode::LimitExceeded, 1));
        log[0].ciphertext.resize(3);
        QCOMPARE(verifyFresh(log), expected(ErrorCode::Malformed, 1));
    }

    // A refused page leaves the pinned head where it was.
    void failureKeepsHead() {
        const auto log = validLog();
        LogVerifier verifier(roster().team(), kEnvironment, Head{}, roster(), canWrite);
        QVERIFY(verifier.verify(std::span(log).first(3)).has_value());
        const Head before = verifier.head();
        auto bad = std::vector<ChangeRecord>(log.begin() + 3, log.end());
        bad.back().batchSignature.reset();
        QVERIFY(!verifier.verify(bad).has_value());
        QVERIFY(verifier.head() == before);
        QVERIFY(verifier.verify(std::span(log).subspan(3)).has_value());
        QVERIFY(verifier.head() == headOf(log));
    }
};

QTEST_GUILESS_MAIN(TestLogVerifier)
#include "TestLogVerifier.moc"
