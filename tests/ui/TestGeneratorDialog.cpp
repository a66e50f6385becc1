// SPDX-License-Identifier: Apache-2.0
// The generator and the strength meter in the real window: New Secret → Generate… → Use stores the value,
// Tools → Password Generator… copies through the clipboard guard, the Create page's meter follows the typing,
// options (never values) are remembered. Also renders the "generator" screenshots.
#include "model/Store.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ClipboardGuard.h"
#include "ui/GeneratorDialog.h"
#include "ui/MainWindow.h"
#include "ui/SecretDialog.h"
#include "ui/StrengthMeter.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QTemporaryDir>
#include <QTest>
#include <QWindow>

using coffer::test::child;
using coffer::test::whenDialogOpens;
using coffer::ui::GeneratorDialog;
using coffer::ui::MainWindow;
using coffer::ui::SecretDialog;
using coffer::ui::StrengthMeter;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

QString valueOf(const QDialog& dialog) {
    return child<QPlainTextEdit>(dialog, "generatorValueView")->toPlainText();
}

void chooseMode(GeneratorDialog& dialog, const QString& startsWith) {
    auto* mode = child<QComboBox>(dialog, "generatorModeCombo");
    for (int i = 0; i < mode->count(); ++i) {
        if (mode->itemText(i).startsWith(startsWith)) {
            mode->setCurrentIndex(i);
            return;
        }
    }
    qWarning("no mode %s", qPrintable(startsWith));
}

} // namespace

class TestGeneratorDialog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    [[nodiscard]] QString settingsText() const {
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // Settings go to a private folder, never the developer's own.
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
        QCoreApplication::setOrganizationName(QStringLiteral("CofferTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestGeneratorDialog"));
        QVERIFY(QSettings().fileName().startsWith(m_dir.path()));
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(QApplication::style()->standardPalette());
    }

    void init() { QSettings().clear(); }

    void newSecretGeneratesUsesAndStores() {
        const QString path = m_dir.filePath(QStringLiteral("use.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(window != nullptr);
        QVERIFY(window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));

        QString generated;
        QString inEditor;
        whenDialogOpens<SecretDialog>([&](SecretDialog& dialog) {
            child<QLineEdit>(dialog, "secretNameEdit")->setText(QStringLiteral("SESSION_SECRET"));
            whenDialogOpens<GeneratorDialog>([&](GeneratorDialog& generator) {
                // Opened from a secret: Use, no Copy.
                QVERIFY(child<QPushButton>(generator, "generatorUseButton") != nullptr);
                QVERIFY(generator.findChild<QPushButton*>(QStringLiteral("generatorCopyButton")) == nullptr);
                chooseMode(generator, QStringLiteral("Base64url"));
                child<QSpinBox>(generator, "generatorCountSpin")->setValue(48);
                generated = valueOf(generator);
                QTest::mouseClick(child<QPushButton>(generator, "generatorUseButton"), Qt::LeftButton);
            });
            QTest::mouseClick(child<QPushButton>(dialog, "generateButton"), Qt::LeftButton);
            inEditor = child<QPlainTextEdit>(dialog, "secretValueEdit")->toPlainText();
            QTest::mouseClick(child<QDialogButtonBox>(dialog, "secretDialogButtons")->button(QDialogButtonBox::Ok),
                              Qt::LeftButton);
        });
        child<QAction>(*window, "newSecretAction")->trigger();

        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{64}$")).match(generated).hasMatch());
        QCOMPARE(inEditor, generated);
        const auto* added = window->vaultPage().currentSecret();
        QVERIFY(added != nullptr);
        QCOMPARE(added->name, QStringLiteral("SESSION_SECRET"));
        // The id, not the pointer: editing reloads the table, which frees the summary `added` points to.
        const auto addedId = added->id;
        auto stored = window->session().store()->value(addedId);
        QVERIFY(stored.has_value());
        QCOMPARE(QString::fromUtf8(stored->view()), generated);

        // Cancel leaves the value alone; editing: Use ticks "Replace the value".
        whenDialogOpens<SecretDialog>([&](SecretDialog& dialog) {
            auto* replace = child<QCheckBox>(dialog, "replaceValueCheck");
            QVERIFY(!replace->isChecked());
            whenDialogOpens<GeneratorDialog>([](GeneratorDialog& generator) { generator.reject(); });
            QTest::mouseClick(child<QPushButton>(dialog, "generateButton"), Qt::LeftButton);
            QVERIFY(!replace->isChecked());
            QVERIFY(child<QPlainTextEdit>(dialog, "secretValueEdit")->toPlainText().isEmpty());
            whenDialogOpens<GeneratorDialog>([&](GeneratorDialog& generator) {
                // The options of the last use are back.
                QCOMPARE(child<QSpinBox>(generator, "generatorCountSpin")->value(), 48);
                chooseMode(generator, QStringLiteral("UUID"));
                generated = valueOf(generator);
                QTest::mouseClick(child<QPushButton>(generator, "generatorUseButton"), Qt::LeftButton);
            });
            QTest::mouseClick(child<QPushButton>(dialog, "generateButton"), Qt::LeftButton);
            QVERIFY(replace->isChecked());
            QTest::mouseClick(child<QDialogButtonBox>(dialog, "secretDialogButtons")->button(QDialogButtonBox::Ok),
                              Qt::LeftButton);
        });
        child<QAction>(*window, "editSecretAction")->trigger();
        QCOMPARE(generated.size(), 36);
        QCOMPARE(QString::fromUtf8(window->session().store()->value(addedId)->view()), generated);
    }

    void toolsMenuCopiesThroughTheGuard() {
        const QString path = m_dir.filePath(QStringLiteral("tools.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(window != nullptr);
        auto* action = child<QAction>(*window, "passwordGeneratorAction");
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_G));
        QVERIFY(window->toolsMenu()->actions().contains(action));
        QVERIFY(action->isEnabled());

        QString copied;
        whenDialogOpens<GeneratorDialog>([&](GeneratorDialog& generator) {
            QVERIFY(generator.findChild<QPushButton*>(QStringLiteral("generatorUseButton")) == nullptr);
            const QString first = valueOf(generator);
            QCOMPARE(first.size(), 24); // the defaults: 24 characters
            // Ctrl+R makes another (shortcuts reach only the active window).
            generator.windowHandle()->requestActivate();
            QTRY_COMPARE(QGuiApplication::focusWindow(), generator.windowHandle());
            QTest::keyClick(&generator, Qt::Key_R, Qt::ControlModifier);
            // A button's shortcut animates a click, which lands a moment later.
            QTRY_VERIFY(valueOf(generator) != first);
            QTest::mouseClick(child<QPushButton>(generator, "generatorCopyButton"), Qt::LeftButton);
            copied = valueOf(generator);
            QVERIFY(child<QLabel>(generator, "generatorStatusLabel")->text().contains(QStringLiteral("cleared")));
            generator.reject();
        });
        action->trigger();
        QCOMPARE(QApplication::clipboard()->text(), copied);
        QVERIFY(window->clipboard().isArmed());
        QVERIFY(QApplication::clipboard()->mimeData()->hasFormat(QStringLiteral("x-kde-passwordManagerHint")));
    }

    void modesOptionsAndTheMeter() {
        coffer::ui::ClipboardGuard guard;
        GeneratorDialog dialog(guard);
        auto* meter = child<StrengthMeter>(dialog, "generatorStrengthMeter");
        auto* spin = child<QSpinBox>(dialog, "generatorCountSpin");
        auto* slider = child<QSlider>(dialog, "generatorCountSlider");
        QCOMPARE(meter->labelText(), QStringLiteral("Very strong \u00b7 157.2 bits of entropy"));
        QCOMPARE(meter->accessibleName(), QStringLiteral("Password strength"));
        QVERIFY(meter->accessibleDescription().startsWith(QStringLiteral("Very strong")));

        // Fewer characters, fewer bits; slider and spin box move together.
        spin->setValue(6);
        QCOMPARE(slider->value(), 6);
        QCOMPARE(valueOf(dialog).size(), 6);
        QCOMPARE(meter->strength().score, 1);
        QVERIFY(meter->labelText().startsWith(QStringLiteral("Weak")));
        QVERIFY(meter->accessibleDescription().startsWith(QStringLiteral("Weak")));
        slider->setValue(40);
        QCOMPARE(spin->value(), 40);
        QCOMPARE(valueOf(dialog).size(), 40);

        // Only digits: the last class cannot be unticked.
        for (const char* name : {"generatorLowerCheck", "generatorUpperCheck", "generatorSymbolsCheck"}) {
            child<QCheckBox>(dialog, name)->setChecked(false);
        }
        QVERIFY(!child<QCheckBox>(dialog, "generatorDigitsCheck")->isEnabled());
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9]{40}$")).match(valueOf(dialog)).hasMatch());
        child<QCheckBox>(dialog, "generatorLowerCheck")->setChecked(true);
        QVERIFY(child<QCheckBox>(dialog, "generatorDigitsCheck")->isEnabled());

        // Passphrase: words from the list, the count means words now; class boxes hidden.
        chooseMode(dialog, QStringLiteral("Passphrase"));
        QCOMPARE(spin->value(), 6);
        QCOMPARE(spin->maximum(), 20);
        QVERIFY(child<QCheckBox>(dialog, "generatorLowerCheck")->isHidden() ||
                !child<QCheckBox>(dialog, "generatorLowerCheck")->isVisibleTo(&dialog));
        child<QComboBox>(dialog, "generatorSeparatorCombo")->setCurrentIndex(1); // space
        QCOMPARE(valueOf(dialog).split(QLatin1Char(' ')).size(), 6);
        QVERIFY(meter->labelText().contains(QStringLiteral("77.5 bits")));

        // Hex: bytes. UUID: no count.
        chooseMode(dialog, QStringLiteral("Hex"));
        QCOMPARE(valueOf(dialog).size(), 64);
        QVERIFY(meter->labelText().contains(QStringLiteral("256.0 bits")));
        chooseMode(dialog, QStringLiteral("UUID"));
        QVERIFY(!spin->isVisibleTo(&dialog));
        QVERIFY(meter->labelText().contains(QStringLiteral("122.0 bits")));

        // Remembered: options, and never a value.
        const QString value = valueOf(dialog);
        const QString saved = settingsText();
        QVERIFY2(saved.contains(QStringLiteral("mode=uuid")), qPrintable(saved));
        QVERIFY(saved.contains(QStringLiteral("length=40")));
        QVERIFY(saved.contains(QStringLiteral("digits=true")));
        QVERIFY(!saved.contains(value));
        GeneratorDialog again(guard);
        QCOMPARE(again.options().mode, coffer::crypto::GeneratorMode::Uuid);
        QCOMPARE(again.options().length, 40);
        QCOMPARE(again.options().separator, ' ');
        QVERIFY(!again.options().upper);
        QVERIFY(valueOf(again) != value);

        // The value cannot be selected and copied around the guard.
        auto* view = child<QPlainTextEdit>(dialog, "generatorValueView");
        QCOMPARE(view->textInteractionFlags(), Qt::NoTextInteraction);
        QCOMPARE(view->contextMenuPolicy(), Qt::NoContextMenu);
        QCOMPARE(view->accessibleName(), QStringLiteral("Generated value"));
    }

    void settingsOutOfRangeAreRepaired() {
        QSettings settings;
        settings.setValue(QStringLiteral("generator/mode"), QStringLiteral("nonsense"));
        settings.setValue(QStringLiteral("generator/length"), 100000);
        settings.setValue(QStringLiteral("generator/words"), -3);
        settings.setValue(QStringLiteral("generator/separator"), QStringLiteral("x"));
        for (const char* key : {"generator/lower", "generator/upper", "generator/digits", "generator/symbols"}) {
            settings.setValue(QString::fromLatin1(key), false);
        }
        settings.sync();
        GeneratorDialog dialog;
        QCOMPARE(dialog.options().mode, coffer::crypto::GeneratorMode::Characters);
        QCOMPARE(dialog.options().length, 256);
        QCOMPARE(dialog.options().words, 3);
        QCOMPARE(dialog.options().separator, '-');
        QVERIFY(dialog.options().lower && dialog.options().digits);
        QCOMPARE(valueOf(dialog).size(), 256);
    }

    void createPageMeterFollowsTheTyping() {
        const QString path = m_dir.filePath(QStringLiteral("new/team-vault.coffer"));
        MainWindow window(path, coffer::model::KdfCost::minimum());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* meter = child<StrengthMeter>(window, "createStrengthMeter");
        auto* password = child<QLineEdit>(window, "createPasswordEdit");
        auto* confirm = child<QLineEdit>(window, "createConfirmEdit");
        auto* hint = child<QLabel>(window, "createHintLabel");
        QVERIFY(meter->isVisible());
        QVERIFY(meter->labelText().isEmpty());
        // The warning about lost passwords is there, plain and visible.
        auto* warning = child<QWidget>(window, "createWarningBanner");
        QVERIFY(warning->isVisible());
        QVERIFY(warning->accessibleName().contains(QStringLiteral("cannot be recovered")));

        password->setFocus();
        QTest::keyClicks(password, QStringLiteral("password"));
        QCOMPARE(meter->labelText(), QStringLiteral("Very weak"));
        QCOMPARE(meter->strength().score, 0);
        QVERIFY(meter->accessibleDescription().startsWith(QStringLiteral("Very weak")));
        QTest::keyClicks(password, QStringLiteral(" is not my fuzzy lantern"));
        QVERIFY2(meter->strength().score >= 3, qPrintable(meter->labelText()));
        QVERIFY(meter->labelText().contains(QStringLiteral("strong"), Qt::CaseInsensitive));
        QVERIFY(meter->accessibleDescription().contains(QStringLiteral("strong"), Qt::CaseInsensitive));

        // The vault's own name counts against the password.
        password->setText(QStringLiteral("TeamVault!"));
        QCOMPARE(meter->strength().hint, coffer::model::PasswordStrength::Hint::UserWord);
        QVERIFY(meter->hintText().contains(QStringLiteral("vault's name")));

        // Weak but long enough: warned, not refused.
        password->setText(QStringLiteral("password1"));
        confirm->setText(QStringLiteral("password1"));
        QVERIFY(child<QPushButton>(window, "createButton")->isEnabled());
        QVERIFY2(hint->text().contains(QStringLiteral("easy to guess")), qPrintable(hint->text()));
        confirm->setText(QStringLiteral("password1!"));
        QVERIFY(hint->text().contains(QStringLiteral("do not match")));
    }

    void screenshots() {
        coffer::ui::ClipboardGuard guard;
        QSettings().clear();
        GeneratorDialog characters(guard);
        characters.show();
        QVERIFY(QTest::qWaitForWindowExposed(&characters));
        QVERIFY(coffer::test::saveScreenshot(characters, QStringLiteral("generator")));

        GeneratorDialog passphrase;
        chooseMode(passphrase, QStringLiteral("Passphrase"));
        child<QCheckBox>(passphrase, "generatorCapitaliseCheck")->setChecked(true);
        child<QCheckBox>(passphrase, "generatorNumberCheck")->setChecked(true);
        passphrase.show();
        QVERIFY(QTest::qWaitForWindowExposed(&passphrase));
        QVERIFY(coffer::test::saveScreenshot(passphrase, QStringLiteral("generator-passphrase")));

        QApplication::setPalette(coffer::test::darkPalette());
        GeneratorDialog dark(guard);
        dark.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dark));
        QVERIFY(coffer::test::saveScreenshot(dark, QStringLiteral("generator-dark")));
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
};

QTEST_MAIN(TestGeneratorDialog)
#include "TestGeneratorDialog.moc"
