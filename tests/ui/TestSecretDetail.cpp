// SPDX-License-Identifier: Apache-2.0
// The real window's secret detail pane: the selected secret's fields, Reveal that masks again by itself, Copy
// through the clipboard guard with its countdown in the status bar, both audited, Restore from history, and a
// lock that forgets it all.
#include "model/Store.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ClipboardGuard.h"
#include "ui/Confirm.h"
#include "ui/HistoryModel.h"
#include "ui/MainWindow.h"
#include "ui/SecretDetailPane.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using coffer::test::child;
using coffer::ui::HistoryModel;
using coffer::ui::MainWindow;
using coffer::ui::SecretDetailPane;
using namespace std::chrono_literals;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");
const QString kLiveKey = QStringLiteral("sk_live_51HxLiveKey");

QString clipboardText() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    return mime != nullptr ? mime->text() : QString();
}

// The audit actions recorded for `secret`, newest first.
QStringList auditedActions(coffer::model::Store& store, const QString& secret) {
    QStringList actions;
    for (const auto& event : store.auditEvents().value_or(std::vector<coffer::model::AuditEvent>{})) {
        if (event.secret == secret) {
            actions << event.action;
        }
    }
    return actions;
}

} // namespace

class TestSecretDetail : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_vaults = 0;
    std::unique_ptr<MainWindow> m_window;

    // A fresh sample vault per test, unlocked in a real window, with payments-api/prod selected.
    void openProd() {
        const QString path = m_dir.filePath(QStringLiteral("vault%1.coffer").arg(++m_vaults));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        m_window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(m_window != nullptr);
        QVERIFY(m_window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
    }

    [[nodiscard]] SecretDetailPane& pane() const { return *m_window->vaultPage().detailPane(); }
    [[nodiscard]] QString shownValue() const { return child<QPlainTextEdit>(*m_window, "detailValue")->toPlainText(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup() {
        m_window.reset();
        static_cast<void>(coffer::ui::confirm::setHandler({}));
        QApplication::clipboard()->clear();
    }

    void showsTheSelectedSecret() {
        openProd();
        // Nothing selected yet: a hint, not empty fields.
        QVERIFY(child<QLabel>(*m_window, "detailEmptyHint")->isVisible());
        QVERIFY(!child<QPushButton>(*m_window, "revealButton")->isVisible());

        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("STRIPE_SECRET_KEY")));
        QVERIFY(!child<QLabel>(*m_window, "detailEmptyHint")->isVisible());
        QCOMPARE(child<QLabel>(*m_window, "detailName")->text(), QStringLiteral("STRIPE_SECRET_KEY"));
        QCOMPARE(child<QLabel>(*m_window, "detailNote")->text(),
                 QStringLiteral("Live key: rotate in the Stripe dashboard"));
        QCOMPARE(child<QLabel>(*m_window, "detailTags")->text(), QStringLiteral("stripe, pci"));
        QVERIFY(child<QLabel>(*m_window, "detailVersion")->text().contains(QStringLiteral("bob")));
        QCOMPARE(shownValue(), QStringLiteral("••••••••"));
        QCOMPARE(pane().historyModel()->rowCount(), 1);
        QVERIFY(!child<QPushButton>(*m_window, "restoreButton")->isEnabled());

        // An empty note says so.
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("SENTRY_DSN")));
        QCOMPARE(child<QLabel>(*m_window, "detailNote")->text(), QStringLiteral("No note"));

        // Another environment: nothing selected again.
        QVERIFY(m_window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));
        QVERIFY(child<QLabel>(*m_window, "detailEmptyHint")->isVisible());
    }

    void revealShowsTheValueAndMasksItAgain() {
        openProd();
        QCOMPARE(pane().revealDuration(), 30'000ms);
        pane().setRevealDuration(300ms);
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("STRIPE_SECRET_KEY")));
        auto* reveal = child<QPushButton>(*m_window, "revealButton");
        QVERIFY(!auditedActions(*m_window->session().store(), QStringLiteral("STRIPE_SECRET_KEY"))
                     .contains(QStringLiteral("reveal")));

        QTest::mouseClick(reveal, Qt::LeftButton);
        QVERIFY(pane().isRevealed());
        QVERIFY(reveal->isChecked());
        QCOMPARE(shownValue(), kLiveKey);
        QCOMPARE(auditedActions(*m_window->session().store(), QStringLiteral("STRIPE_SECRET_KEY")).value(0),
                 QStringLiteral("reveal"));

        QTRY_COMPARE_WITH_TIMEOUT(shownValue(), QStringLiteral("••••••••"), 5'000);
        QVERIFY(!pane().isRevealed());
        QVERIFY(!reveal->isChecked());

        // Hide by hand, and a new selection masks at once.
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(shownValue(), kLiveKey);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(shownValue(), QStringLiteral("••••••••"));
        QTest::mouseClick(reveal, Qt::LeftButton);
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("SENTRY_DSN")));
        QCOMPARE(shownValue(), QStringLiteral("••••••••"));
        QVERIFY(!reveal->isChecked());
    }

    void copyGoesThroughTheClipboardGuard() {
        openProd();
        auto& guard = m_window->clipboard();
        guard.setClearAfter(400ms);
        guard.setTickInterval(20ms);
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("STRIPE_SECRET_KEY")));

        QTest::mouseClick(child<QPushButton>(*m_window, "copyValueButton"), Qt::LeftButton);
        QCOMPARE(clipboardText(), kLiveKey);
        QCOMPARE(QApplication::clipboard()->mimeData()->data(QStringLiteral("x-kde-passwordManagerHint")),
                 QByteArrayLiteral("secret"));
        auto* countdown = child<QLabel>(*m_window, "statusClipboardLabel");
        QVERIFY(countdown->isVisible());
        QCOMPARE(countdown->text(), QStringLiteral("Clipboard clears in 1 s"));
        QCOMPARE(auditedActions(*m_window->session().store(), QStringLiteral("STRIPE_SECRET_KEY")).value(0),
                 QStringLiteral("copy"));
        QCOMPARE(shownValue(), QStringLiteral("••••••••")); // copying reveals nothing

        QTRY_COMPARE_WITH_TIMEOUT(clipboardText(), QString(), 5'000);
        QVERIFY(!countdown->isVisible());
    }

    void restoresAVersionFromHistory() {
        openProd();
        // payments-api/prod/DATABASE_URL: created, then rotated twice.
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("DATABASE_URL")));
        const auto secretId = pane().secretId();
        auto* history = child<QTableView>(*m_window, "historyTable");
        auto* restore = child<QPushButton>(*m_window, "restoreButton");
        QCOMPARE(history->model()->rowCount(), 3);

        // The current version cannot be restored; an older one can.
        history->selectRow(0);
        QVERIFY(!restore->isEnabled());
        history->selectRow(2);
        QCOMPARE(history->model()->index(2, HistoryModel::VersionColumn).data().toInt(), 1);
        QVERIFY(restore->isEnabled());

        // Declined: nothing happens.
        QString asked;
        static_cast<void>(coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            asked = text;
            return false;
        }));
        QTest::mouseClick(restore, Qt::LeftButton);
        QVERIFY(asked.contains(QStringLiteral("version 1 of DATABASE_URL")));
        QCOMPARE(history->model()->rowCount(), 3);

        static_cast<void>(
            coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return true; }));
        QTest::mouseClick(restore, Qt::LeftButton);
        QCOMPARE(history->model()->rowCount(), 4);
        QCOMPARE(history->model()->index(0, HistoryModel::KindColumn).data().toString(), QStringLiteral("Restored v1"));
        auto value = m_window->session().store()->value(secretId);
        QVERIFY(value.has_value());
        QCOMPARE(QString::fromUtf8(value->view()),
                 QStringLiteral("postgres://payments:prodpass@db.prod.internal:5432/payments"));
        // The table shows the new version and keeps the selection.
        QCOMPARE(m_window->vaultPage().currentSecret()->name, QStringLiteral("DATABASE_URL"));
        QCOMPARE(m_window->vaultPage().currentSecret()->version, 4);
        QCOMPARE(pane().secretId(), secretId);
    }

    void lockForgetsThePaneAndTheClipboard() {
        openProd();
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("STRIPE_SECRET_KEY")));
        QTest::mouseClick(child<QPushButton>(*m_window, "revealButton"), Qt::LeftButton);
        QTest::mouseClick(child<QPushButton>(*m_window, "copyValueButton"), Qt::LeftButton);
        QCOMPARE(clipboardText(), kLiveKey);

        child<QAction>(*m_window, "lockAction")->trigger();
        QCOMPARE(coffer::test::currentPage(*m_window), QStringLiteral("unlockPage"));
        QCOMPARE(clipboardText(), QString());
        QVERIFY(!m_window->clipboard().isArmed());
        QCOMPARE(pane().secretId(), 0);
        QCOMPARE(pane().historyModel()->rowCount(), 0);
        QVERIFY(!pane().isRevealed());
        QCOMPARE(shownValue(), QStringLiteral("••••••••"));
        QCOMPARE(child<QLabel>(*m_window, "detailName")->text(), QString());
        QVERIFY(!child<QLabel>(*m_window, "statusClipboardLabel")->isVisible());
    }
};

QTEST_MAIN(TestSecretDetail)
#include "TestSecretDetail.moc"
