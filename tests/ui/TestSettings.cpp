// SPDX-License-Identifier: Apache-2.0
// Settings: one table of definitions with defaults and bounds, kept in a private QSettings file; the Settings
// dialog saves them and the window applies them at once (idle lock, clipboard, reveal, theme); a new KDF cost
// re-encrypts the vault after the master password is checked.
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ClipboardGuard.h"
#include "ui/IdleLock.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/SecretDetailPane.h"
#include "ui/SessionLockWatcher.h"
#include "ui/Settings.h"
#include "ui/SettingsDialog.h"
#include "ui/Theme.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cstring>

using coffer::model::KdfCost;
using coffer::model::Vault;
using coffer::test::child;
using coffer::ui::MainWindow;
using coffer::ui::Settings;
using coffer::ui::SettingsDialog;
using coffer::ui::Theme;
using namespace std::chrono_literals;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");
QTemporaryDir* configHome = nullptr;

void clickOk(SettingsDialog& dialog) {
    dialog.findChild<QDialogButtonBox*>(QStringLiteral("settingsButtons"))->button(QDialogButtonBox::Ok)->click();
}

template <typename T> T* in(const SettingsDialog& dialog, const char* name) {
    auto* found = dialog.findChild<T*>(QString::fromLatin1(name));
    if (found == nullptr) {
        qWarning("no child named %s", name);
    }
    return found;
}

} // namespace

class TestSettings : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QPalette m_platformPalette;

    [[nodiscard]] QString vaultPath() const { return m_dir.filePath(QStringLiteral("team.coffer")); }

public:
    // Before QApplication: settings go to a private folder, never the user's.
    static void initMain() {
        configHome = new QTemporaryDir;
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(configHome->path()));
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // no keychain needed here
        QCoreApplication::setOrganizationName(QStringLiteral("CofferTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestSettings"));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(Settings::fileName().startsWith(configHome->path()));
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(QApplication::style()->standardPalette());
        m_platformPalette = QApplication::palette();
        QVERIFY(coffer::test::createSampleVault(vaultPath(), kPassword.toStdString()).has_value());
    }

    void cleanup() {
        QSettings().clear();
        coffer::ui::theme::apply(Theme::System);
    }

    void tableHasEveryKeyOnce() {
        QSet<QString> keys;
        for (const auto& def : Settings::definitions()) {
            QVERIFY(!keys.contains(QString::fromLatin1(def.key)));
            keys.insert(QString::fromLatin1(def.key));
            QCOMPARE(Settings::find(def.key), &def);
            if (def.minimum != def.maximum) {
                QVERIFY(def.minimum <= def.defaultValue.toInt() && def.defaultValue.toInt() <= def.maximum);
            }
        }
        for (const char* key : {Settings::kLockAfterMinutes, Settings::kClipboardClearSeconds, Settings::kRevealSeconds,
                                Settings::kLockOnScreenLock, Settings::kTheme, Settings::kRememberOnDevice}) {
            QVERIFY2(keys.contains(QString::fromLatin1(key)), key);
        }
        QVERIFY(Settings::find("no/such/key") == nullptr);
    }

    void defaults() {
        QCOMPARE(Settings::lockAfterMinutes(), 10);
        QCOMPARE(Settings::clipboardClearSeconds(), 20);
        QCOMPARE(Settings::revealSeconds(), 30);
        QCOMPARE(Settings::lockOnScreenLock(), true);
        QCOMPARE(Settings::theme(), Theme::System);
        QCOMPARE(Settings::rememberOnDevice(vaultPath()), false);
        QCOMPARE(Settings::clipboardClearAfter(), std::chrono::milliseconds(20s));
        QCOMPARE(Settings::revealDuration(), std::chrono::milliseconds(30s));
    }

    void boundsClampWritesAndReads() {
        Settings::setClipboardClearSeconds(1);
        QCOMPARE(Settings::clipboardClearSeconds(), 5);
        Settings::setClipboardClearSeconds(1'000'000);
        QCOMPARE(Settings::clipboardClearSeconds(), 300);
        Settings::setLockAfterMinutes(-3);
        QCOMPARE(Settings::lockAfterMinutes(), 0);
        Settings::setRevealSeconds(601);
        QCOMPARE(Settings::revealSeconds(), 600);
        // A hand-edited file cannot go past the bounds either, and garbage reads as the default.
        QSettings().setValue(QString::fromLatin1(Settings::kRevealSeconds), 1);
        QCOMPARE(Settings::revealSeconds(), 5);
        QSettings().setValue(QString::fromLatin1(Settings::kClipboardClearSeconds), QStringLiteral("soon"));
        QCOMPARE(Settings::clipboardClearSeconds(), 20);
        QSettings().setValue(QString::fromLatin1(Settings::kTheme), 42);
        QCOMPARE(Settings::theme(), Theme::Dark);
    }

    void persistInTheSettingsFile() {
        Settings::setLockAfterMinutes(0);
        Settings::setClipboardClearSeconds(45);
        Settings::setRevealSeconds(12);
        Settings::setLockOnScreenLock(false);
        Settings::setTheme(Theme::Light);
        Settings::setRememberedEntry(vaultPath(), QStringLiteral("vault entry"));
        QSettings().sync();
        QFile file(Settings::fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("clipboardClearSeconds=45"));
        QVERIFY(text.contains("revealSeconds=12"));
        QCOMPARE(Settings::lockAfterMinutes(), 0);
        QCOMPARE(Settings::lockOnScreenLock(), false);
        QCOMPARE(Settings::theme(), Theme::Light);
        // Per vault: keyed by the canonical path, so another spelling of the same file finds it.
        QVERIFY(Settings::rememberOnDevice(m_dir.path() + QStringLiteral("/./team.coffer")));
        QVERIFY(!Settings::rememberOnDevice(m_dir.filePath(QStringLiteral("other.coffer"))));
        Settings::setRememberedEntry(vaultPath(), {});
        QVERIFY(!Settings::rememberOnDevice(vaultPath()));
    }

    void idleLockZeroMeansNever() {
        auto now = std::chrono::steady_clock::now();
        coffer::ui::IdleLock idle;
        idle.setClock([&now] { return now; });
        idle.setTickInterval(5ms);
        idle.setTimeout(0ms);
        QSignalSpy timedOut(&idle, &coffer::ui::IdleLock::idleTimedOut);
        idle.start();
        now += 24h;
        QTest::qWait(40);
        QCOMPARE(timedOut.count(), 0);
        QVERIFY(idle.isRunning());
    }

    // Settings saved before the window opens apply when it opens.
    void appliedAtStart() {
        Settings::setLockAfterMinutes(3);
        Settings::setClipboardClearSeconds(9);
        Settings::setRevealSeconds(7);
        MainWindow window(vaultPath(), KdfCost::minimum());
        QCOMPARE(window.idleLock().timeout(), std::chrono::milliseconds(3min));
        QCOMPARE(window.clipboard().clearAfter(), std::chrono::milliseconds(9s));
        QCOMPARE(window.vaultPage().detailPane()->revealDuration(), std::chrono::milliseconds(7s));
    }

    // The dialog through File > Settings… (Ctrl+,), values changed, OK: saved and applied at once.
    void dialogAppliesLive() {
        auto window = coffer::test::openUnlocked(vaultPath(), kPassword);
        QVERIFY(window);
        auto* action = window->findChild<QAction*>(QStringLiteral("settingsAction"));
        QVERIFY(action != nullptr);
        QVERIFY(!action->shortcut().isEmpty());
        const auto fileItems = window->fileMenu()->actions();
        QVERIFY(fileItems.indexOf(action) >= 0 &&
                fileItems.indexOf(action) < fileItems.indexOf(window->fileSeparator()));

        coffer::test::whenDialogOpens<SettingsDialog>([](SettingsDialog& dialog) {
            QCOMPARE(in<QSpinBox>(dialog, "lockAfterSpin")->value(), 10);
            QCOMPARE(in<QSpinBox>(dialog, "lockAfterSpin")->text(), QStringLiteral("10 min"));
            in<QSpinBox>(dialog, "lockAfterSpin")->setValue(0);
            QCOMPARE(in<QSpinBox>(dialog, "lockAfterSpin")->text(), QStringLiteral("Never"));
            in<QSpinBox>(dialog, "clipboardClearSpin")->setValue(40);
            in<QSpinBox>(dialog, "revealSpin")->setValue(15);
            in<QCheckBox>(dialog, "lockOnScreenLockCheck")->setChecked(false);
            auto* theme = in<QComboBox>(dialog, "themeCombo");
            QCOMPARE(theme->currentText(), QStringLiteral("System default"));
            theme->setCurrentIndex(theme->findData(static_cast<int>(Theme::Dark)));
            clickOk(dialog);
        });
        QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::Key_Comma));

        QCOMPARE(Settings::lockAfterMinutes(), 0);
        QCOMPARE(window->idleLock().timeout(), std::chrono::milliseconds(0));
        QVERIFY(window->idleLock().isRunning()); // restarted after the dialog, and never fires at 0
        QCOMPARE(window->clipboard().clearAfter(), std::chrono::milliseconds(40s));
        QCOMPARE(window->vaultPage().detailPane()->revealDuration(), std::chrono::milliseconds(15s));
        QCOMPARE(Settings::lockOnScreenLock(), false);
        QCOMPARE(window->sessionLockWatcher().lockOnScreenLock(), false);
        QCOMPARE(QApplication::palette().color(QPalette::Window),
                 coffer::ui::theme::darkPalette().color(QPalette::Window));
        // The Copy button states the new clipboard time.
        QVERIFY(window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));
        QVERIFY(window->vaultPage().selectSecret(QStringLiteral("DATABASE_URL")));
        QVERIFY(window->findChild<QPushButton*>(QStringLiteral("copyValueButton"))
                    ->toolTip()
                    .contains(QStringLiteral("40 s")));

        // Cancel changes nothing.
        coffer::test::whenDialogOpens<SettingsDialog>([](SettingsDialog& dialog) {
            QCOMPARE(in<QComboBox>(dialog, "themeCombo")->currentData().toInt(), static_cast<int>(Theme::Dark));
            in<QSpinBox>(dialog, "clipboardClearSpin")->setValue(99);
            dialog.reject();
        });
        action->trigger();
        QCOMPARE(Settings::clipboardClearSeconds(), 40);
        QCOMPARE(window->clipboard().clearAfter(), std::chrono::milliseconds(40s));

        // Back to System: the platform's palette again.
        coffer::test::whenDialogOpens<SettingsDialog>([](SettingsDialog& dialog) {
            auto* theme = in<QComboBox>(dialog, "themeCombo");
            theme->setCurrentIndex(theme->findData(static_cast<int>(Theme::System)));
            clickOk(dialog);
        });
        action->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Window), m_platformPalette.color(QPalette::Window));
    }

    void lightTheme() {
        coffer::ui::theme::apply(Theme::Light);
        QCOMPARE(QApplication::palette().color(QPalette::Base), QColor(Qt::white));
        coffer::ui::theme::apply(Theme::System);
        QCOMPARE(QApplication::palette().color(QPalette::Window), m_platformPalette.color(QPalette::Window));
    }

    void measureShowsTheTime() {
        auto window = coffer::test::openUnlocked(vaultPath(), kPassword);
        QVERIFY(window);
        coffer::ui::SettingsDialog dialog(window->session(), window->deviceUnlock(), window.get());
        QCOMPARE(in<QLabel>(dialog, "currentCostLabel")->text(), QStringLiteral("2 passes over 64 MiB"));
        QCOMPARE(dialog.chosenCost(), KdfCost::minimum());
        QVERIFY(!in<QLineEdit>(dialog, "kdfPasswordEdit")->isEnabled()); // nothing to re-encrypt
        QSignalSpy measured(&dialog, &SettingsDialog::measured);
        QTest::mouseClick(in<QPushButton>(dialog, "measureButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, coffer::test::kKdfTimeoutMs);
        QVERIFY2(in<QLabel>(dialog, "measureLabel")->text().contains(QStringLiteral(" s on this computer")),
                 qPrintable(in<QLabel>(dialog, "measureLabel")->text()));
    }

    // A new cost needs the password, refuses a wrong one, and re-encrypts with the right one: the vault stays
    // open, and the same password opens it with the new cost.
    void newCostReencryptsTheVault() {
        const QString path = m_dir.filePath(QStringLiteral("cost.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(window);
        // No parent: the window is closed below while the dialog still exists.
        coffer::ui::SettingsDialog dialog(window->session(), window->deviceUnlock());
        dialog.show();
        auto* banner = in<coffer::ui::MessageBanner>(dialog, "settingsErrorBanner");
        in<QSpinBox>(dialog, "kdfPassesSpin")->setValue(3);
        auto* memory = in<QComboBox>(dialog, "kdfMemoryCombo");
        memory->setCurrentIndex(memory->findData(128U));
        QVERIFY(in<QLineEdit>(dialog, "kdfPasswordEdit")->isEnabled());

        clickOk(dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY(banner->text().contains(QStringLiteral("master password")));

        in<QLineEdit>(dialog, "kdfPasswordEdit")->setText(QStringLiteral("not the password"));
        clickOk(dialog);
        QVERIFY(dialog.isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), coffer::test::kKdfTimeoutMs);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY2(banner->text().contains(QStringLiteral("password"), Qt::CaseInsensitive), qPrintable(banner->text()));
        QCOMPARE(window->session().vault()->info().cost, KdfCost::minimum());

        in<QLineEdit>(dialog, "kdfPasswordEdit")->setText(kPassword);
        clickOk(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), coffer::test::kKdfTimeoutMs);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const KdfCost expected{3, 128};
        QCOMPARE(window->session().vault()->info().cost, expected);
        QVERIFY(window->session().isOpen());
        QVERIFY(window->session().store()->counts().has_value());
        window.reset();

        auto info = Vault::readInfo(path);
        QVERIFY(info.has_value());
        QCOMPARE(info->cost, expected);
        QVERIFY(Vault::unlock(path, coffer::test::bytesOf(kPassword.toStdString())).has_value());
    }

    void screenshots() {
        auto window = coffer::test::openUnlocked(vaultPath(), kPassword);
        QVERIFY(window);
        {
            coffer::ui::SettingsDialog dialog(window->session(), window->deviceUnlock(), window.get());
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("settings")));
            // Validation as the user sees it.
            in<QSpinBox>(dialog, "kdfPassesSpin")->setValue(4);
            clickOk(dialog);
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("settings-error")));
        }
        coffer::ui::theme::apply(Theme::Dark);
        coffer::ui::SettingsDialog dialog(window->session(), window->deviceUnlock(), window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("settings-dark")));
    }
};

QTEST_MAIN(TestSettings)
#include "TestSettings.moc"
