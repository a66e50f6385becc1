// SPDX-License-Identifier: Apache-2.0
// SyncError: a model error keeps the model's message; an integrity failure names the check and its
// position and keeps it; every code has its own stable name.
#include "sync/SyncError.h"

#include <QTest>

#include <set>

using namespace coffer;

class TestSyncError : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void modelErrorBecomesVault() {
        const model::Error error{model::ErrorCode::Locked, {}};
        const auto failed = sync::fail(error);
        QCOMPARE(failed.error().code, sync::ErrorCode::Vault);
        QCOMPARE(failed.error().message, error.message());
        QVERIFY(!failed.error().check.has_value());
    }

    void integrityNamesTheCheck() {
        const protocol::Error check{protocol::ErrorCode::BrokenChain, 12, "previous hash differs"};
        const auto failed = sync::failIntegrity(QStringLiteral("environment dev"), check);
        QCOMPARE(failed.error().code, sync::ErrorCode::Integrity);
        QCOMPARE(failed.error().message, QStringLiteral("environment dev: BrokenChain at 12: previous hash differs"));
        QVERIFY(failed.error().check == check);

        const auto bare =
            sync::failIntegrity(QStringLiteral("roster"), protocol::Error{protocol::ErrorCode::Gap, 3, {}});
        QCOMPARE(bare.error().message, QStringLiteral("roster: Gap at 3"));
    }

    void everyCodeHasItsOwnName() {
        std::set<QString> names;
        for (int code = 0; code <= static_cast<int>(sync::ErrorCode::Vault); ++code) {
            const QString name = sync::codeName(static_cast<sync::ErrorCode>(code));
            QVERIFY(!name.isEmpty());
            QVERIFY(name != QStringLiteral("unknown"));
            names.insert(name);
        }
        QCOMPARE(names.size(), std::size_t{static_cast<int>(sync::ErrorCode::Vault) + 1});
        QCOMPARE(sync::codeName(sync::ErrorCode::HostileResponse), QStringLiteral("hostile-response"));
    }
};

QTEST_GUILESS_MAIN(TestSyncError)
#include "TestSyncError.moc"
