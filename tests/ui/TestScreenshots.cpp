// SPDX-License-Identifier: Apache-2.0
// Renders the app's pages at a fixed size to PNGs for review and the README:
// $COFFER_SCREENSHOT_DIR, else the build's screenshots/ folder. Each file must exist and not be blank.
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
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

QPalette darkPalette() {
    QPalette palette;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x21, 0x24);
    const QColor text(0xe8, 0xea, 0xed);
    const QColor disabledText(0x80, 0x84, 0x8a);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x42));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, Qt::white);
    palette.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    palette.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x47));
    palette.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x2a));
    palette.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    palette.setColor(QPalette::Shadow, Qt::black);
    palette.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xc4));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        palette.setColor(QPalette::Disabled, role, disabledText);
    }
    return palette;
}

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QDir m_out;
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

    void save(QWidget& window, const QString& name) {
        QCoreApplication::processEvents();
        const QString path = m_out.filePath(name + QStringLiteral(".png"));
        QFile::remove(path);
        QVERIFY(window.grab().toImage().save(path));

        QImage image(path);
        QVERIFY2(!image.isNull(), qPrintable(path));
        QCOMPARE(image.size(), window.size());
        // Not blank: a real page has text, icons and frames, so many distinct colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3) {
            for (int x = 0; x < image.width(); x += 3) {
                colours.insert(image.pixel(x, y));
            }
        }
        QVERIFY2(colours.size() >= 16, qPrintable(QStringLiteral("%1 looks blank").arg(path)));
        qInfo("wrote %s", qPrintable(path));
    }

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

        QString out = qEnvironmentVariable("COFFER_SCREENSHOT_DIR");
        if (out.isEmpty()) {
            out = QStringLiteral(COFFER_SCREENSHOT_DEFAULT_DIR);
        }
        QVERIFY(QDir().mkpath(out));
        m_out.setPath(out);
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
        QApplication::setPalette(darkPalette());
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
