// SPDX-License-Identifier: Apache-2.0
// ClipboardGuard on the real (offscreen) clipboard, with a clock the test advances.
#include "ui/ClipboardGuard.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <memory>

using coffer::ui::ClipboardGuard;
using namespace std::chrono_literals;

namespace {

const QString kValue = QStringLiteral("sk_live_51HxLiveKey");

QString clipboardText() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    return mime != nullptr ? mime->text() : QString();
}

QByteArray dword(char low) {
    return QByteArray("\0\0\0\0", 4).replace(0, 1, QByteArray(1, low));
}

} // namespace

class TestClipboardGuard : public QObject {
    Q_OBJECT

private:
    std::chrono::steady_clock::time_point m_now = std::chrono::steady_clock::now();
    std::unique_ptr<ClipboardGuard> m_guard;

    void advance(std::chrono::milliseconds by) {
        m_now += by;
        QTest::qWait(30); // a few ticks of 5 ms
    }

private Q_SLOTS:
    void init() {
        QApplication::clipboard()->clear();
        m_guard = std::make_unique<ClipboardGuard>();
        m_guard->setClock([this] { return m_now; });
        m_guard->setTickInterval(5ms);
    }

    void cleanup() { m_guard.reset(); }

    void defaultsToTwentySeconds() { QCOMPARE(ClipboardGuard().clearAfter(), 20'000ms); }

    void copyPutsTheValueWithSecretHints() {
        m_guard->copy(kValue);
        const QMimeData* mime = QApplication::clipboard()->mimeData();
        QVERIFY(mime != nullptr);
        QCOMPARE(mime->text(), kValue);
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
        QCOMPARE(mime->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArrayLiteral("secret"));
#endif
        QVERIFY(m_guard->isArmed());
        QCOMPARE(m_guard->secondsLeft(), 20);
    }

    void hintsPerPlatform() {
        std::unique_ptr<QMimeData> onUnix(ClipboardGuard::makeSecretMimeData(kValue, ClipboardGuard::Platform::Unix));
        QCOMPARE(onUnix->text(), kValue);
        QCOMPARE(onUnix->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArrayLiteral("secret"));

        std::unique_ptr<QMimeData> windows(
            ClipboardGuard::makeSecretMimeData(kValue, ClipboardGuard::Platform::Windows));
        QCOMPARE(windows->text(), kValue);
        QCOMPARE(windows->data(QStringLiteral("ExcludeClipboardContentFromMonitorProcessing")), dword('\1'));
        QCOMPARE(windows->data(QStringLiteral("CanIncludeInClipboardHistory")), dword('\0'));
        QCOMPARE(windows->data(QStringLiteral("CanUploadToCloudClipboard")), dword('\0'));
        QCOMPARE(windows->data(QStringLiteral("CanUploadToCloudClipboard")).size(), 4);

        std::unique_ptr<QMimeData> mac(ClipboardGuard::makeSecretMimeData(kValue, ClipboardGuard::Platform::MacOS));
        QCOMPARE(mac->text(), kValue);
        QVERIFY(mac->hasFormat(QStringLiteral("application/x-nspasteboard-concealed-type")));
    }

    void countsDownAndClearsAfterTheTimeout() {
        QSignalSpy countdown(m_guard.get(), &ClipboardGuard::countdownChanged);
        QSignalSpy cleared(m_guard.get(), &ClipboardGuard::cleared);
        m_guard->setClearAfter(3s);
        m_guard->copy(kValue);
        QCOMPARE(countdown.takeFirst().at(0).toInt(), 3);

        advance(1500ms);
        QCOMPARE(clipboardText(), kValue);
        QCOMPARE(m_guard->secondsLeft(), 2);
        QCOMPARE(countdown.takeFirst().at(0).toInt(), 2);

        advance(1500ms);
        QCOMPARE(clipboardText(), QString());
        QCOMPARE(cleared.count(), 1);
        QVERIFY(!m_guard->isArmed());
        QCOMPARE(countdown.takeLast().at(0).toInt(), 0);
    }

    void leavesSomeoneElsesCopyAlone() {
        QSignalSpy cleared(m_guard.get(), &ClipboardGuard::cleared);
        QSignalSpy countdown(m_guard.get(), &ClipboardGuard::countdownChanged);
        m_guard->copy(kValue);
        QApplication::clipboard()->setText(QStringLiteral("meeting notes"));
        QVERIFY(!m_guard->isArmed());
        QCOMPARE(countdown.last().at(0).toInt(), 0);

        advance(25s);
        QCOMPARE(clipboardText(), QStringLiteral("meeting notes"));
        QCOMPARE(cleared.count(), 0);

        // Lock and quit leave it alone too.
        m_guard->clear();
        QCOMPARE(clipboardText(), QStringLiteral("meeting notes"));
    }

    // Some platforms tell no one when another application takes the clipboard: the guard compares the clipboard
    // with its hash before clearing, whatever it was told.
    void comparesBeforeClearingEvenWithoutNotice() {
        QSignalSpy cleared(m_guard.get(), &ClipboardGuard::cleared);
        m_guard->setClearAfter(5s);
        m_guard->copy(kValue);
        {
            const QSignalBlocker silent(QApplication::clipboard());
            QApplication::clipboard()->setText(QStringLiteral("meeting notes"));
        }
        QVERIFY(m_guard->isArmed());
        advance(6s);
        QCOMPARE(clipboardText(), QStringLiteral("meeting notes"));
        QCOMPARE(cleared.count(), 0);
        QVERIFY(!m_guard->isArmed());
    }

    void clearsOnLock() {
        m_guard->copy(kValue);
        QCOMPARE(clipboardText(), kValue);
        m_guard->clear(); // what the window calls when the vault locks
        QCOMPARE(clipboardText(), QString());
        QVERIFY(!m_guard->isArmed());
    }

    void clearsWhenDestroyed() {
        m_guard->copy(kValue);
        m_guard.reset(); // on quit
        QCOMPARE(clipboardText(), QString());
    }

    void aNewCopyRestartsTheCountdown() {
        m_guard->setClearAfter(10s);
        m_guard->copy(kValue);
        advance(8s);
        m_guard->copy(QStringLiteral("whsec_live0987654321"));
        advance(8s);
        QCOMPARE(clipboardText(), QStringLiteral("whsec_live0987654321"));
        advance(3s);
        QCOMPARE(clipboardText(), QString());
    }
};

QTEST_MAIN(TestClipboardGuard)
#include "TestClipboardGuard.moc"
