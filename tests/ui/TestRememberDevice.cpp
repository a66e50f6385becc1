// SPDX-License-Identifier: Apache-2.0
// "Remember on this device" against a real gnome-keyring in a private D-Bus session (run-with-keyring.sh):
// unlocking with the box ticked stores the key in the keychain and nothing secret in the settings file; a new
// window opens the vault by itself; Forget deletes the key; a file put in the vault's place, or a re-encrypted
// vault, does not open with the old key and the stale key is deleted. Fails (never skips) without a keychain.
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/DeviceKeychain.h"
#include "ui/DeviceUnlock.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/Settings.h"
#include "ui/SettingsDialog.h"
#include "ui/UnlockPage.h"
#include "ui/VaultSession.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using coffer::model::KdfCost;
using coffer::model::Vault;
using coffer::test::child;
using coffer::test::currentPage;
using coffer::ui::DeviceKeychain;
using coffer::ui::KeychainStatus;
using coffer::ui::MainWindow;
using coffer::ui::Settings;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");
QTemporaryDir* configHome = nullptr;

// What `secret-tool search` prints for Coffer's entries (attributes and secrets), straight from the keyring.
QString keyringEntries() {
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), QStringLiteral("Coffer")});
    if (!tool.waitForFinished(20'000)) {
        qWarning("secret-tool did not finish");
        return {};
    }
    return QString::fromUtf8(tool.readAllStandardOutput() + tool.readAllStandardError());
}

std::unique_ptr<MainWindow> showWindow(const QString& path) {
    auto window = std::make_unique<MainWindow>(path, KdfCost::minimum());
    window->resize(1100, 700);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) {
        return nullptr;
    }
    return window;
}

void unlockWithPassword(MainWindow& window, bool remember) {
    auto* check = child<QCheckBox>(window, "rememberCheck");
    QTRY_VERIFY(window.deviceUnlock().isKeychainKnown());
    QVERIFY(check->isEnabled());
    check->setChecked(remember);
    child<QLineEdit>(window, "unlockPasswordEdit")->setText(kPassword);
    QTest::mouseClick(child<QPushButton>(window, "unlockButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session().isBusy(), coffer::test::kKdfTimeoutMs);
    QCOMPARE(currentPage(window), QStringLiteral("vaultPage"));
}

QString errorText(const MainWindow& window) {
    return child<coffer::ui::MessageBanner>(window, "unlockErrorBanner")->text();
}

} // namespace

class TestRememberDevice : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    [[nodiscard]] QString vaultPath() const { return m_dir.filePath(QStringLiteral("team.coffer")); }

public:
    // Before QApplication: settings go to a private folder, never the user's.
    static void initMain() {
        configHome = new QTemporaryDir;
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(configHome->path()));
        QCoreApplication::setOrganizationName(QStringLiteral("CofferTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestRememberDevice"));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(!qEnvironmentVariableIsSet("DISPLAY")); // a keyring prompt would block
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"), "run through tests/ui/run-with-keyring.sh");
        QVERIFY(coffer::test::createSampleVault(vaultPath(), kPassword.toStdString()).has_value());

        // The keychain must answer: a broken keyring fails this test, it does not skip it.
        DeviceKeychain keychain;
        bool done = false;
        KeychainStatus status = KeychainStatus::Failed;
        QString message;
        keychain.probe([&](KeychainStatus s, const QString& m) {
            done = true;
            status = s;
            message = m;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20'000);
        QVERIFY2(status == KeychainStatus::Ok, qPrintable(message));
    }

    void offByDefault() {
        auto window = showWindow(vaultPath());
        QVERIFY(window);
        QTRY_VERIFY(window->deviceUnlock().isKeychainKnown());
        QVERIFY(window->deviceUnlock().isKeychainAvailable());
        auto* check = child<QCheckBox>(*window, "rememberCheck");
        QVERIFY(check->isEnabled());
        QVERIFY(!check->isChecked());
        QVERIFY(!child<QLabel>(*window, "rememberNoteLabel")->isVisible());
        QVERIFY(!Settings::rememberOnDevice(vaultPath()));
        check->setChecked(true);
        QVERIFY(coffer::test::saveScreenshot(*window, QStringLiteral("unlock-remember")));

        // What the page shows while the remembered key is read and tried (too brief to catch in the window).
        coffer::ui::UnlockPage page;
        page.setVaultPath(vaultPath());
        page.setRememberAvailable(true);
        page.setRememberChecked(true);
        page.setRememberedUnlock(true);
        page.resize(1100, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(!child<QLineEdit>(page, "unlockPasswordEdit")->isEnabled());
        QVERIFY(!child<QPushButton>(page, "unlockButton")->isEnabled());
        QVERIFY(child<QPushButton>(page, "typePasswordButton")->isVisible());
        QVERIFY(coffer::test::saveScreenshot(page, QStringLiteral("unlock-remembered-key")));
    }

    void rememberThenOpenWithoutPassword() {
        {
            auto window = showWindow(vaultPath());
            QVERIFY(window);
            unlockWithPassword(*window, true);
            QTRY_VERIFY_WITH_TIMEOUT(Settings::rememberOnDevice(vaultPath()), 20'000);
        }
        // The keyring holds the entry, named after this file.
        const QString entries = keyringEntries();
        QVERIFY(entries.contains(Settings::canonicalVaultPath(vaultPath()))); // not printed: it holds the key
        QCOMPARE(Settings::rememberedEntry(vaultPath()), DeviceKeychain::entryName(vaultPath()));

        // Nothing secret in the settings file: neither the password nor the key, in hex or base64.
        QFile file(Settings::fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray settings = file.readAll();
        QVERIFY(!settings.contains(kPassword.toUtf8()));
        {
            auto vault = Vault::unlock(vaultPath(), coffer::test::bytesOf(kPassword.toStdString()));
            QVERIFY(vault.has_value());
            const auto key = vault->key().bytes();
            const QByteArray raw(reinterpret_cast<const char*>(key.data()), static_cast<qsizetype>(key.size()));
            QVERIFY(!settings.contains(raw));
            QVERIFY(!settings.toLower().contains(raw.toHex()));
            QVERIFY(!settings.contains(raw.toBase64()));
        }

        // A new window on the same vault unlocks by itself.
        auto window = showWindow(vaultPath());
        QVERIFY(window);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(*window), QStringLiteral("vaultPage"), 20'000);
        QVERIFY(window->session().isOpen());

        // After a lock the password is asked: locking must mean something.
        window->findChild<QAction*>(QStringLiteral("lockAction"))->trigger();
        QCOMPARE(currentPage(*window), QStringLiteral("unlockPage"));
        QTest::qWait(200);
        QCOMPARE(currentPage(*window), QStringLiteral("unlockPage"));
        QVERIFY(child<QCheckBox>(*window, "rememberCheck")->isChecked());
    }

    void typePasswordInstead() {
        QVERIFY(Settings::rememberOnDevice(vaultPath()));
        // The keychain read has started but cannot have ended: its answer needs the event loop.
        MainWindow window(vaultPath(), KdfCost::minimum());
        auto* typePassword = child<QPushButton>(window, "typePasswordButton");
        auto* password = child<QLineEdit>(window, "unlockPasswordEdit");
        QVERIFY(typePassword->isVisibleTo(&window));
        QVERIFY(!password->isEnabled());
        typePassword->click();
        QVERIFY(password->isEnabled());
        QVERIFY(!typePassword->isVisibleTo(&window));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::qWait(500); // the late answer is dropped
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        QVERIFY(!window.session().isOpen());
        QVERIFY(Settings::rememberOnDevice(vaultPath()));
    }

    void forgetInSettings() {
        auto window = showWindow(vaultPath());
        QVERIFY(window);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(*window), QStringLiteral("vaultPage"), 20'000);
        const QString entry = Settings::rememberedEntry(vaultPath());
        QVERIFY(!entry.isEmpty());

        QSignalSpy changed(&window->deviceUnlock(), &coffer::ui::DeviceUnlock::rememberedChanged);
        coffer::test::whenDialogOpens<coffer::ui::SettingsDialog>([&](coffer::ui::SettingsDialog& dialog) {
            auto* forget = dialog.findChild<QPushButton*>(QStringLiteral("forgetDeviceButton"));
            QVERIFY(forget->isEnabled());
            QTest::mouseClick(forget, Qt::LeftButton);
            QVERIFY(!forget->isEnabled());
            dialog.reject();
        });
        window->findChild<QAction*>(QStringLiteral("settingsAction"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 20'000);
        QVERIFY(!Settings::rememberOnDevice(vaultPath()));
        QVERIFY(!keyringEntries().contains(Settings::canonicalVaultPath(vaultPath())));

        // A new window asks for the password.
        auto next = showWindow(vaultPath());
        QVERIFY(next);
        QTest::qWait(300);
        QCOMPARE(currentPage(*next), QStringLiteral("unlockPage"));
        QVERIFY(!child<QCheckBox>(*next, "rememberCheck")->isChecked());
        QVERIFY(child<QLineEdit>(*next, "unlockPasswordEdit")->isEnabled());
    }

    void unlockWithBoxClearedForgets() {
        {
            auto window = showWindow(vaultPath());
            QVERIFY(window);
            unlockWithPassword(*window, true);
            QTRY_VERIFY_WITH_TIMEOUT(Settings::rememberOnDevice(vaultPath()), 20'000);
            window->findChild<QAction*>(QStringLiteral("lockAction"))->trigger();
            unlockWithPassword(*window, false);
            QTRY_VERIFY_WITH_TIMEOUT(!Settings::rememberOnDevice(vaultPath()), 20'000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!keyringEntries().contains(Settings::canonicalVaultPath(vaultPath())), 20'000);
    }

    // Another vault copied over the remembered one, at the same path: its header (salt) differs, so the old key
    // is neither tried nor kept, and the password is asked with the reason.
    void replacedFileDoesNotUseTheOldKey() {
        {
            auto window = showWindow(vaultPath());
            QVERIFY(window);
            unlockWithPassword(*window, true);
            QTRY_VERIFY_WITH_TIMEOUT(Settings::rememberOnDevice(vaultPath()), 20'000);
        }
        const QString oldEntry = Settings::rememberedEntry(vaultPath());
        const QString other = m_dir.filePath(QStringLiteral("other.coffer"));
        QVERIFY(coffer::test::createSampleVault(other, "another password").has_value());
        QVERIFY(QFile::remove(vaultPath()));
        QVERIFY(QFile::copy(other, vaultPath()));
        QVERIFY(DeviceKeychain::entryName(vaultPath()) != oldEntry);

        auto window = showWindow(vaultPath());
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(!Settings::rememberOnDevice(vaultPath()), 20'000);
        QTest::qWait(200);
        QCOMPARE(currentPage(*window), QStringLiteral("unlockPage"));
        QVERIFY(!window->session().isOpen());
        QVERIFY(child<QLineEdit>(*window, "unlockPasswordEdit")->isEnabled());
        QVERIFY2(errorText(*window).contains(QStringLiteral("replaced")), qPrintable(errorText(*window)));
        QTRY_VERIFY_WITH_TIMEOUT(!keyringEntries().contains(oldEntry.section(QLatin1Char(' '), 2)), 20'000);
    }

    // Re-encrypting with a new KDF cost in Settings replaces the remembered key: the next window still opens by
    // itself, and the entry for the old header is gone.
    void newCostUpdatesTheRememberedKey() {
        const QString path = m_dir.filePath(QStringLiteral("rekey.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = showWindow(path);
        QVERIFY(window);
        unlockWithPassword(*window, true);
        QTRY_VERIFY_WITH_TIMEOUT(Settings::rememberOnDevice(path), 20'000);
        const QString oldEntry = Settings::rememberedEntry(path);

        coffer::test::whenDialogOpens<coffer::ui::SettingsDialog>([&](coffer::ui::SettingsDialog& dialog) {
            dialog.findChild<QSpinBox*>(QStringLiteral("kdfPassesSpin"))->setValue(3);
            dialog.findChild<QLineEdit*>(QStringLiteral("kdfPasswordEdit"))->setText(kPassword);
            dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        });
        window->findChild<QAction*>(QStringLiteral("settingsAction"))->trigger();
        QCOMPARE(window->session().vault()->info().cost.passes, 3U);
        QTRY_VERIFY_WITH_TIMEOUT(Settings::rememberedEntry(path) != oldEntry, 20'000);
        QCOMPARE(Settings::rememberedEntry(path), DeviceKeychain::entryName(path));
        window.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!keyringEntries().contains(oldEntry.section(QLatin1Char(' '), 2)), 20'000);

        auto next = showWindow(path);
        QVERIFY(next);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(*next), QStringLiteral("vaultPage"), 20'000);
    }

    // A key that no longer opens the file (same header, other key: written by hand here) is deleted, with why.
    void wrongKeyIsDeleted() {
        const QString path = m_dir.filePath(QStringLiteral("wrongkey.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        const QString entry = DeviceKeychain::entryName(path);
        DeviceKeychain keychain;
        bool stored = false;
        keychain.store(entry, coffer::crypto::VaultKey::keygen(),
                       [&](KeychainStatus status, const QString&) { stored = status == KeychainStatus::Ok; });
        QTRY_VERIFY_WITH_TIMEOUT(stored, 20'000);
        Settings::setRememberedEntry(path, entry);

        auto window = showWindow(path);
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(!Settings::rememberOnDevice(path), 20'000);
        QCOMPARE(currentPage(*window), QStringLiteral("unlockPage"));
        QVERIFY(!window->session().isOpen());
        QVERIFY2(errorText(*window).contains(QStringLiteral("no longer opens")), qPrintable(errorText(*window)));
        QTRY_VERIFY_WITH_TIMEOUT(!keyringEntries().contains(entry.section(QLatin1Char(' '), 2)), 20'000);
    }
};

QTEST_MAIN(TestRememberDevice)
#include "TestRememberDevice.moc"
