// SPDX-License-Identifier: Apache-2.0
// The window at 200% (run with QT_SCALE_FACTOR=2): the unlock page and the vault page on the sample vault render
// at a sensible logical size with no label cut off and no button squeezed below what its text needs.
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/MainWindow.h"
#include "ui/PathLabel.h"
#include "ui/VaultPage.h"

#include <QAbstractButton>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using coffer::ui::MainWindow;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

QString describe(const QWidget& widget) {
    const auto* label = qobject_cast<const QLabel*>(&widget);
    const auto* button = qobject_cast<const QAbstractButton*>(&widget);
    const QString text = label != nullptr ? label->text() : button != nullptr ? button->text() : QString();
    return QStringLiteral("%1 \"%2\" (%3)")
        .arg(widget.objectName(), text.left(60), QString::fromLatin1(widget.metaObject()->className()));
}

// Every visible label shows all of its text, and every visible button has at least the room its text needs.
// Returns what does not fit, one line each.
QStringList clippedWidgets(const QWidget& root) {
    QStringList clipped;
    for (const QLabel* label : root.findChildren<QLabel*>()) {
        // PathLabel elides on purpose (the full path is in its tooltip); pictures have no text to cut.
        if (!label->isVisibleTo(&root) || label->text().isEmpty() ||
            qobject_cast<const coffer::ui::PathLabel*>(label) != nullptr) {
            continue;
        }
        const QSize hint = label->sizeHint();
        const bool fits = label->wordWrap() ? label->heightForWidth(label->width()) <= label->height()
                                            : hint.width() <= label->width() && hint.height() <= label->height();
        if (!fits) {
            clipped << QStringLiteral("%1: needs %2x%3, has %4x%5")
                           .arg(describe(*label))
                           .arg(hint.width())
                           .arg(label->wordWrap() ? label->heightForWidth(label->width()) : hint.height())
                           .arg(label->width())
                           .arg(label->height());
        }
    }
    for (const QAbstractButton* button : root.findChildren<QAbstractButton*>()) {
        if (!button->isVisibleTo(&root) || button->text().isEmpty()) {
            continue;
        }
        const QSize needed = button->minimumSizeHint();
        if (needed.width() > button->width() || needed.height() > button->height()) {
            clipped << QStringLiteral("%1: needs %2x%3, has %4x%5")
                           .arg(describe(*button))
                           .arg(needed.width())
                           .arg(needed.height())
                           .arg(button->width())
                           .arg(button->height());
        }
    }
    return clipped;
}

} // namespace

class TestHighDpi : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("payments.coffer"));
        QVERIFY(coffer::test::createSampleVault(m_path, kPassword.toStdString()).has_value());
    }

    void runsAtTwiceTheScale() {
        MainWindow window(m_path, coffer::model::KdfCost::minimum());
        window.resize(1100, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.devicePixelRatio(), 2.0);
    }

    void unlockPageFits() {
        MainWindow window(m_path, coffer::model::KdfCost::minimum());
        window.resize(900, 640);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(coffer::test::currentPage(window), QStringLiteral("unlockPage"));
        const QStringList clipped = clippedWidgets(window);
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('\n'))));
        QVERIFY(coffer::test::saveScreenshot(window, QStringLiteral("unlock-200")));
    }

    void mainWindowFits() {
        auto window = coffer::test::openUnlocked(m_path, kPassword);
        QVERIFY(window != nullptr);
        window->resize(1100, 700);
        QVERIFY(window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
        QVERIFY(window->vaultPage().selectSecret(QStringLiteral("DATABASE_URL")));
        QCoreApplication::processEvents();
        const QStringList clipped = clippedWidgets(*window);
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('\n'))));
        QVERIFY(coffer::test::saveScreenshot(*window, QStringLiteral("main-200")));
        // Device pixels: the picture is twice the logical size, so nothing was drawn at 100% and stretched.
        QCOMPARE(window->grab().toImage().size(), window->size() * 2);
    }
};

QTEST_MAIN(TestHighDpi)
#include "TestHighDpi.moc"
