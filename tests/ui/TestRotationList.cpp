// SPDX-License-Identifier: Apache-2.0
// The rotation list over a real removal: alice's team shares payments-api, bob reads dev and prod, then alice
// removes him through a real coffer-server. The dialog lists exactly the secrets bob could read (project/env,
// name, version, removed member, since), all "to rotate"; after alice gives one a new value it is greyed and
// "done" (shown with Show done, hidden without), the summary counts follow, and opening a row names the secret.
// The model runs under QAbstractItemModelTester. Screenshot "rotation-list".
#include "tests/ui/Screenshot.h"
#include "tests/ui/TeamFixture.h"
#include "ui/RotationListDialog.h"
#include "ui/RotationListModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QPalette>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <set>

using coffer::protocol::Access;
using coffer::ui::RotationListDialog;
using coffer::ui::RotationListModel;

class TestRotationList : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsWhatTheRemovedMemberCouldRead() {
        coffer::test::TeamFixture fixture;
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        auto& alice = fixture.person(QStringLiteral("alice"), true);
        auto& bob = fixture.person(QStringLiteral("bob"));
        QVERIFY(alice.team && bob.team);
        auto code = fixture.teamCode();
        QVERIFY(code.has_value());
        auto team = alice.team->createTeam(fixture.url(), QStringLiteral("payments"), QStringLiteral("alice"), *code);
        QVERIFY2(team.has_value(), team ? "" : qPrintable(team.error().message));
        QVERIFY(alice.team->shareProject(team->team, alice.projectId(QStringLiteral("payments-api"))).has_value());
        auto bobId = fixture.invite(alice, team->team, bob);
        QVERIFY2(bobId.has_value(), bobId ? "" : bobId.error().c_str());
        const std::int64_t dev = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("dev"));
        const std::int64_t prod = alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("prod"));
        QVERIFY(alice.team->applyAccess(team->team, {{*bobId, dev, Access::Write}, {*bobId, prod, Access::Read}})
                    .has_value());
        QVERIFY(bob.engine->syncAll().has_value());

        auto report = alice.team->removeMember(team->team, *bobId);
        QVERIFY2(report.has_value(), report ? "" : qPrintable(report.error().message));
        const std::size_t exposed = report->secrets.size();
        QCOMPARE(exposed, std::size_t(coffer::test::SampleCounts::paymentsDevSecrets +
                                      coffer::test::SampleCounts::paymentsProdSecrets));

        RotationListDialog dialog([&](bool includeDone) { return alice.team->rotationList(includeDone); });
        QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.resize(880, 380);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        RotationListModel& model = *dialog.model();
        QCOMPARE(std::size_t(model.rowCount()), exposed);
        QCOMPARE(std::size_t(model.openCount()), exposed);
        std::set<QString> listed;
        for (int row = 0; row < model.rowCount(); ++row) {
            const auto* item = model.item(row);
            QCOMPARE(item->memberName, QStringLiteral("bob"));
            QCOMPARE(model.index(row, RotationListModel::StateColumn).data().toString(), QStringLiteral("to rotate"));
            QCOMPARE(model.index(row, RotationListModel::MemberColumn).data().toString(), QStringLiteral("bob"));
            QVERIFY(model.index(row, RotationListModel::VersionColumn).data().toString().startsWith(QLatin1Char('v')));
            listed.insert(item->environment + QLatin1Char('/') + item->name);
        }
        std::set<QString> expected;
        for (const auto& secret : report->secrets) {
            expected.insert(secret.environment + QLatin1Char('/') + secret.name);
        }
        QCOMPARE(listed, expected);

        // Rotating prod's DATABASE_URL marks it done: greyed, listed last, gone without "Show done".
        auto secret = alice.store->secret(prod, QStringLiteral("DATABASE_URL"));
        QVERIFY(secret.has_value());
        QVERIFY(alice.store
                    ->setSecret(prod, QStringLiteral("DATABASE_URL"),
                                coffer::test::bytesOf("postgres://payments:new-2026@db/payments"))
                    .has_value());
        dialog.refresh();
        QCOMPARE(std::size_t(model.openCount()), exposed - 1);
        const int last = model.rowCount() - 1;
        QCOMPARE(model.item(last)->name, QStringLiteral("DATABASE_URL"));
        QCOMPARE(model.item(last)->environment, QStringLiteral("prod"));
        QVERIFY(model.index(last, 0).data(RotationListModel::RotatedRole).toBool());
        QCOMPARE(model.index(last, RotationListModel::StateColumn).data().toString(), QStringLiteral("done"));
        QCOMPARE(model.index(last, 0).data(Qt::ForegroundRole).value<QBrush>().color(),
                 QApplication::palette().color(QPalette::Disabled, QPalette::Text));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("rotationSummary"))
                    ->text()
                    .contains(QStringLiteral("%1 secrets to rotate").arg(exposed - 1)));
        QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("rotation-list")));

        dialog.setShowDone(false);
        QCOMPARE(std::size_t(model.rowCount()), exposed - 1);
        dialog.setShowDone(true);

        // Opening a row names the secret for the main window.
        QSignalSpy activated(&dialog, &RotationListDialog::secretActivated);
        dialog.table()->selectRow(0);
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("rotationOpenButton")), Qt::LeftButton);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.front().at(0).toString(), QStringLiteral("payments-api"));
        QCOMPARE(activated.front().at(2).toString(), model.item(0)->name);
    }
};

QTEST_MAIN(TestRotationList)
#include "TestRotationList.moc"
