// SPDX-License-Identifier: Apache-2.0
// The sync state in the status bar: each state's line, colour and link (data-driven), clicks on conflicts and
// integrity errors, Sync now; then a real SyncController over alice's vault and a real coffer-server: Synced
// with the time, and Offline (retrying) once the server is gone. Screenshot "sync-status" (every state in a
// status bar, one under the other).
#include "sync/SyncController.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/TeamFixture.h"
#include "ui/SyncStatusWidget.h"

#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>

using coffer::sync::SyncStatus;
using coffer::ui::SyncStatusWidget;
using State = coffer::sync::SyncStatus::State;

Q_DECLARE_METATYPE(SyncStatus)

namespace {

SyncStatus status(State state, const QString& message = {}, int progress = -1, std::size_t conflicts = 0) {
    SyncStatus out;
    out.state = state;
    out.message = message;
    out.progress = progress;
    out.openConflicts = conflicts;
    return out;
}

const QString kIntegrity =
    QStringLiteral("Integrity error in payments-api/prod: signature at record 41: the batch signature does not verify");

} // namespace

class TestSyncStatus : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void describesEachState_data() {
        QTest::addColumn<SyncStatus>("status");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("link");
        QTest::addColumn<bool>("visible");
        QTest::newRow("not shared") << status(State::NotShared) << QString() << false << false;
        QTest::newRow("synced") << status(State::Synced, QStringLiteral("Synced 12:04"))
                                << QStringLiteral("Synced 12:04") << false << true;
        QTest::newRow("syncing") << status(State::Syncing, {}, 40) << QStringLiteral("Syncing 40 %") << false << true;
        QTest::newRow("syncing, unknown") << status(State::Syncing) << QStringLiteral("Syncing\u2026") << false << true;
        QTest::newRow("offline") << status(State::Offline, QStringLiteral("Offline: retrying in 30 s"))
                                 << QStringLiteral("Offline (retrying)") << false << true;
        QTest::newRow("one conflict") << status(State::Conflict, {}, -1, 1) << QStringLiteral("1 conflict") << true
                                      << true;
        QTest::newRow("conflicts") << status(State::Conflict, {}, -1, 3) << QStringLiteral("3 conflicts") << true
                                   << true;
        QTest::newRow("integrity") << status(State::IntegrityError, kIntegrity)
                                   << QStringLiteral("Integrity error in payments-api/prod") << true << true;
    }

    void describesEachState() {
        QFETCH(SyncStatus, status);
        QFETCH(QString, text);
        QFETCH(bool, link);
        QFETCH(bool, visible);
        QWidget host;
        auto* widget = new SyncStatusWidget(&host);
        host.show();
        widget->setStatus(status);
        QCOMPARE(widget->text(), text);
        QCOMPARE(widget->isVisible(), visible);
        auto* label = widget->findChild<QLabel*>(QStringLiteral("syncStatusLabel"));
        QCOMPARE(label->text().contains(QStringLiteral("<a ")), link);
        if (status.state == State::IntegrityError) {
            QVERIFY(label->toolTip().contains(QStringLiteral("signature at record 41")));
            QVERIFY(label->text().contains(QStringLiteral("#cc3742"))); // red
        }
        QCOMPARE(widget->findChild<QToolButton*>(QStringLiteral("syncNowButton"))->isEnabled(),
                 status.state != State::Syncing);
    }

    void clicksAskForTheRightThing() {
        SyncStatusWidget widget;
        widget.show();
        QSignalSpy conflicts(&widget, &SyncStatusWidget::conflictsRequested);
        QSignalSpy integrity(&widget, &SyncStatusWidget::integrityDetailsRequested);
        QSignalSpy syncNow(&widget, &SyncStatusWidget::syncNowRequested);
        auto* label = widget.findChild<QLabel*>(QStringLiteral("syncStatusLabel"));
        widget.setStatus(status(State::Conflict, {}, -1, 2));
        Q_EMIT label->linkActivated(QStringLiteral("open"));
        QCOMPARE(conflicts.count(), 1);
        widget.setStatus(status(State::IntegrityError, kIntegrity));
        Q_EMIT label->linkActivated(QStringLiteral("open"));
        QCOMPARE(integrity.count(), 1);
        QCOMPARE(integrity.front().front().toString(), kIntegrity);
        QTest::mouseClick(widget.findChild<QToolButton*>(QStringLiteral("syncNowButton")), Qt::LeftButton);
        QCOMPARE(syncNow.count(), 1);
        // Progress only moves a running sync.
        widget.setStatus(status(State::Syncing, {}, 0));
        widget.setProgress({QStringLiteral("pull"), QStringLiteral("payments-api/dev"), 3, 4});
        QCOMPARE(widget.text(), QStringLiteral("Syncing 75 %"));
        widget.setStatus(status(State::Synced, QStringLiteral("Synced 12:04")));
        widget.setProgress({QStringLiteral("pull"), QStringLiteral("payments-api/dev"), 1, 4});
        QCOMPARE(widget.text(), QStringLiteral("Synced 12:04"));
    }

    void screenshotOfEveryState() {
        QWidget strip;
        strip.setObjectName(QStringLiteral("syncStatusStrip"));
        auto* layout = new QVBoxLayout(&strip);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(6);
        const std::vector<SyncStatus> states{
            status(State::Synced, QStringLiteral("Synced 12:04")), status(State::Syncing, {}, 40),
            status(State::Offline, QStringLiteral("Offline: retrying in 30 s")), status(State::Conflict, {}, -1, 2),
            status(State::IntegrityError, kIntegrity)};
        for (const SyncStatus& state : states) {
            auto* bar = new QStatusBar(&strip);
            bar->setSizeGripEnabled(false);
            bar->addWidget(new QLabel(QStringLiteral("Vault:"), bar));
            bar->addWidget(new QLabel(QStringLiteral("~/vaults/payments.coffer"), bar), 1);
            auto* widget = new SyncStatusWidget(bar);
            bar->addPermanentWidget(widget);
            bar->addPermanentWidget(
                new QLabel(QStringLiteral("2 projects \u00b7 6 environments \u00b7 16 secrets"), bar));
            widget->setStatus(state);
            layout->addWidget(bar);
        }
        strip.resize(900, strip.sizeHint().height());
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        QVERIFY(coffer::test::saveScreenshot(strip, QStringLiteral("sync-status")));
    }

    void followsARealController() {
        coffer::test::TeamFixture fixture;
        const auto started = fixture.start();
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        auto& alice = fixture.person(QStringLiteral("alice"), true);
        QVERIFY(alice.team);
        auto code = fixture.teamCode();
        QVERIFY(code.has_value());
        auto team = alice.team->createTeam(fixture.url(), QStringLiteral("payments"), QStringLiteral("alice"), *code);
        QVERIFY2(team.has_value(), team ? "" : qPrintable(team.error().message));
        QVERIFY(alice.team->shareProject(team->team, alice.projectId(QStringLiteral("payments-api"))).has_value());
        QVERIFY(alice.store
                    ->setSecret(alice.environmentId(QStringLiteral("payments-api"), QStringLiteral("dev")),
                                QStringLiteral("NEW_FLAG"), coffer::test::bytesOf("on"))
                    .has_value());
        auto key = coffer::crypto::VaultKey::fromBytes(alice.vault->key().bytes());
        const QString path = alice.path;
        fixture.closeAll();

        coffer::sync::SyncController controller(path, key);
        SyncStatusWidget widget;
        widget.attach(&controller);
        widget.show();
        controller.setInterval(std::chrono::seconds(3600));
        controller.start();
        QTRY_VERIFY_WITH_TIMEOUT(widget.status().state == State::Synced, 30'000);
        QVERIFY2(widget.text().startsWith(QStringLiteral("Synced")), qPrintable(widget.text()));
        QCOMPARE(widget.status().pending, std::size_t(0));

        // Sync now through the widget's button, with the server gone: offline, retrying.
        fixture.stopServer();
        QTest::mouseClick(widget.findChild<QToolButton*>(QStringLiteral("syncNowButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(widget.status().state == State::Offline, 30'000);
        QCOMPARE(widget.text(), QStringLiteral("Offline (retrying)"));
        controller.stop();
    }
};

QTEST_MAIN(TestSyncStatus)
#include "TestSyncStatus.moc"
