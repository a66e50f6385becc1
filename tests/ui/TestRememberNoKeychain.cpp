// SPDX-License-Identifier: Apache-2.0
// "Remember on this device" on a desktop without a keychain (the session bus address points at a dead socket):
// the box is disabled and says why, unlocking works as ever, and nothing is remembered.
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/DeviceKeychain.h"
#include "ui/DeviceUnlock.h"
#include "ui/MainWindow.h"
#include "ui/Settings.h"
#include "ui/SettingsDialog.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using coffer::model::KdfCost;
using coffer::test::child;
using coffer::test::currentPage;
using coffer::ui::DeviceKeychain;
using coffer::ui::KeychainStatus;
using coffer::ui::MainWindow;
using coffer::ui::Settings;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");
QTemporaryDir* configHome = nullptr;
} // namespace

class TestRememberNoKeychain : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

public:
    static void initMain() {
        configHome = new QTemporaryDir;
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(configHome->path()));
        qunsetenv("DISPLAY");
        QCoreApplication::setOrganizationName(QStringLiteral("CofferTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestRememberNoKeychain"));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(QStringLiteral("/nonexistent/")));
    }

    void probeSaysUnavailable() {
        DeviceKeychain keychain;
        bool done = false;
        KeychainStatus status = KeychainStatus::Ok;
        QString message;
        keychain.probe([&](KeychainStatus s, const QString& m) {
            done = true;
            status = s;
            message = m;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20'000);
        QCOMPARE(status, KeychainStatus::Unavailable);
        QCOMPARE(message, DeviceKeychain::unavailableReason());
    }

    void boxDisabledWithTheReason() {
        const QString path = m_dir.filePath(QStringLiteral("team.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        MainWindow window(path, KdfCost::minimum());
        window.resize(1100, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.deviceUnlock().isKeychainKnown(), 20'000);
        QVERIFY(!window.deviceUnlock().isKeychainAvailable());
        auto* check = child<QCheckBox>(window, "rememberCheck");
        QVERIFY(!check->isEnabled());
        QVERIFY(!check->isChecked());
        auto* note = child<QLabel>(window, "rememberNoteLabel");
        QVERIFY(note->isVisible());
        QCOMPARE(note->text(),
                 QStringLiteral("No keychain is available on this desktop (Secret Service not running)."));
        QVERIFY(coffer::test::saveScreenshot(window, QStringLiteral("unlock-no-keychain")));

        // Unlocking works, and remembers nothing.
        child<QLineEdit>(window, "unlockPasswordEdit")->setText(kPassword);
        QTest::mouseClick(child<QPushButton>(window, "unlockButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window.session().isBusy(), coffer::test::kKdfTimeoutMs);
        QCOMPARE(currentPage(window), QStringLiteral("vaultPage"));
        QTest::qWait(100);
        QVERIFY(!Settings::rememberOnDevice(path));

        // Settings says why too, and there is nothing to forget.
        coffer::test::whenDialogOpens<coffer::ui::SettingsDialog>([](coffer::ui::SettingsDialog& dialog) {
            QVERIFY(!dialog.findChild<QPushButton*>(QStringLiteral("forgetDeviceButton"))->isEnabled());
            QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("rememberStatusLabel"))
                        ->text()
                        .contains(QStringLiteral("No keychain")));
            dialog.reject();
        });
        window.findChild<QAction*>(QStringLiteral("settingsAction"))->trigger();
    }
};

QTEST_MAIN(TestRememberNoKeychain)
#include "TestRememberNoKeychain.moc"
