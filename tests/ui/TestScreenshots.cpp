// SPDX-License-Identifier: Apache-2.0
// Renders the app's pages at a fixed size to PNGs for review and the README:
// see tests/ui/Screenshot.h for where they go. Each file must exist and not be blank.
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "ui/MainWindow.h"
#include "ui/SecretDialog.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLineEdit>
#include <QPalette>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using coffer::model::KdfCost;
using coffer::model::Vault;
using coffer::ui::MainWindow;

namespace {

constexpr int kKdfTimeoutMs = 30'000;
const QSize kSize(1100, 700);
const QString kPassword = QStringLiteral("correct horse battery");

QString currentPage(const MainWindow& window) {
    return window.findChild<QStackedWidget*>(QStringLiteral("pageStack"))->currentWidget()->objectName();
}

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QPalette m_lightPalette;

    [[nodiscard]] QString vaultPath() const { return Vault::defaultPath(); }

    // Shows `window` at `size` and lets layouts and icons settle.
    static bool present(MainWindow& window, QSize size = kSize) {
        window.resize(size);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) {
            return false;
        }
        QTest::qWait(50);
        return true;
    }

    static void save(QWidget& widget, const QString& name) { QVERIFY(coffer::test::saveScreenshot(widget, name)); }

    void unlock(MainWindow& window, const QString& password) {
        window.findChild<QLineEdit*>(QStringLiteral("unlockPasswordEdit"))->setText(password);
        QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("unlockButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window.session().isBusy(), kKdfTimeoutMs);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        // Paths read as on a real desktop: ~/.local/share/coffer/default.coffer.
        qputenv("HOME", QFile::encodeName(m_home.path()));
        qunsetenv("XDG_DATA_HOME");
        QApplication::setStyle(QStringLiteral("Fusion"));
        m_lightPalette = QApplication::style()->standardPalette();
        QApplication::setPalette(m_lightPalette);
    }

    void createPage() {
        QVERIFY(!QFile::exists(vaultPath()));
        MainWindow window(vaultPath(), KdfCost::minimum());
        QVERIFY(present(window));
        QCOMPARE(currentPage(window), QStringLiteral("createPage"));
        window.findChild<QLineEdit*>(QStringLiteral("createPasswordEdit"))->setText(kPassword);
        window.findChild<QLineEdit*>(QStringLiteral("createConfirmEdit"))->setText(kPassword);
        save(window, QStringLiteral("create"));
    }

    // The smallest window still shows the whole form, unclipped.
    void createPageAtMinimumSize() {
        MainWindow window(vaultPath(), KdfCost::minimum());
        QVERIFY(present(window, window.minimumSize()));
        QCOMPARE(window.size(), window.minimumSize());
        window.findChild<QLineEdit*>(QStringLiteral("createPasswordEdit"))->setText(QStringLiteral("short"));
        save(window, QStringLiteral("create-minimum-size"));
    }

    void unlockPageWithError() {
        QVERIFY(coffer::test::createSampleVault(vaultPath(), kPassword.toStdString()).has_value());
        MainWindow window(vaultPath(), KdfCost::minimum());
        QVERIFY(present(window));
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        save(window, QStringLiteral("unlock"));
        unlock(window, QStringLiteral("not the password"));
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        save(window, QStringLiteral("unlock-error"));
    }

    void unlockPageBusy() {
        MainWindow window(vaultPath(), KdfCost::minimum());
        QVERIFY(present(window));
        window.findChild<QLineEdit*>(QStringLiteral("unlockPasswordEdit"))->setText(kPassword);
        QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("unlockButton")), Qt::LeftButton);
        QVERIFY(window.session().isBusy());
        save(window, QStringLiteral("unlock-busy"));
        QTRY_VERIFY_WITH_TIMEOUT(!window.session().isBusy(), kKdfTimeoutMs);
    }

    void mainPage() {
        MainWindow window(vaultPath(), KdfCost::minimum());
        QVERIFY(present(window));
        unlock(window, kPassword);
        QCOMPARE(currentPage(window), QStringLiteral("vaultPage"));
        QVERIFY(window.vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
        save(window, QStringLiteral("main"));
        // The detail pane with the history of a rotated secret, an older version chosen.
        QVERIFY(window.vaultPage().selectSecret(QStringLiteral("DATABASE_URL")));
        window.findChild<QTableView*>(QStringLiteral("historyTable"))->selectRow(1);
        save(window, QStringLiteral("main-detail"));
    }

    void mainPageDark() {
        QApplication::setPalette(coffer::test::darkPalette());
        MainWindow window(vaultPath(), KdfCost::minimum());
        QVERIFY(present(window));
        save(window, QStringLiteral("unlock-dark"));
        unlock(window, kPassword);
        QVERIFY(window.vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
        QVERIFY(window.vaultPage().selectSecret(QStringLiteral("STRIPE_SECRET_KEY")));
        save(window, QStringLiteral("main-dark"));
        QApplication::setPalette(m_lightPalette);
    }

    void emptyVault() {
        const QString path = QDir(m_home.path()).filePath(QStringLiteral("empty.coffer"));
        QVERIFY(Vault::create(path, coffer::test::bytesOf("empty vault password"), KdfCost::minimum()).has_value());
        MainWindow window(path, KdfCost::minimum());
        QVERIFY(present(window));
        unlock(window, QStringLiteral("empty vault password"));
        QCOMPARE(currentPage(window), QStringLiteral("vaultPage"));
        save(window, QStringLiteral("empty-vault"));
    }

    void secretDialogs() {
        coffer::ui::SecretDialog add(QStringLiteral("payments-api › dev"));
        add.findChild<QLineEdit*>(QStringLiteral("secretNameEdit"))->setText(QStringLiteral("TLS_PRIVATE_KEY"));
        add.findChild<QPlainTextEdit*>(QStringLiteral("secretValueEdit"))
            ->setPlainText(QStringLiteral("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
                                          "-----END PRIVATE KEY-----"));
        add.findChild<QLineEdit*>(QStringLiteral("secretNoteEdit"))->setText(QStringLiteral("Local HTTPS proxy"));
        add.findChild<QLineEdit*>(QStringLiteral("secretTagsEdit"))->setText(QStringLiteral("tls, local"));
        add.show();
        QVERIFY(QTest::qWaitForWindowExposed(&add));
        save(add, QStringLiteral("secret-add"));

        coffer::model::SecretSummary secret;
        secret.name = QStringLiteral("DATABASE_URL");
        secret.note = QStringLiteral("Primary RDS cluster; rotate every 90 days");
        secret.tags = QStringList{QStringLiteral("database"), QStringLiteral("pci")};
        coffer::ui::SecretDialog edit(QStringLiteral("payments-api › prod"), secret);
        edit.show();
        QVERIFY(QTest::qWaitForWindowExposed(&edit));
        save(edit, QStringLiteral("secret-edit"));
    }

    void cleanupTestCase() { QApplication::setPalette(m_lightPalette); }
};

QTEST_MAIN(TestScreenshots)
#include "TestScreenshots.moc"
