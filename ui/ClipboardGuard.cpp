// SPDX-License-Identifier: Apache-2.0
#include "ui/ClipboardGuard.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "crypto/SecureBuffer.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QMimeData>
#include <QtEndian>

#include <utility>

namespace coffer::ui {
namespace {

// A Windows DWORD, little-endian, as the clipboard format expects.
QByteArray dword(quint32 value) {
    QByteArray bytes(4, '\0');
    qToLittleEndian(value, bytes.data());
    return bytes;
}

} // namespace

ClipboardGuard::ClipboardGuard(QObject* parent, QClipboard* clipboard)
    : QObject(parent)
    , m_clipboard(clipboard != nullptr ? clipboard : QGuiApplication::clipboard())
    , m_clock([] { return std::chrono::steady_clock::now(); }) {
    // The hash is keyed with a random key of this run, so it cannot be checked against guessed values elsewhere.
    crypto::randomFill(m_hashKey);
    m_ticker.setInterval(std::chrono::seconds(1));
    connect(&m_ticker, &QTimer::timeout, this, &ClipboardGuard::onTickElapsed);
    connect(m_clipboard, &QClipboard::dataChanged, this, &ClipboardGuard::onClipboardChanged);
    if (auto* app = QCoreApplication::instance(); app != nullptr) {
        connect(app, &QCoreApplication::aboutToQuit, this, &ClipboardGuard::clear);
    }
}

ClipboardGuard::~ClipboardGuard() {
    clear();
    crypto::wipe(m_hashKey);
}

void ClipboardGuard::setTickInterval(std::chrono::milliseconds interval) {
    m_ticker.setInterval(interval);
}

void ClipboardGuard::setClock(Clock clock) {
    m_clock = std::move(clock);
}

ClipboardGuard::Platform ClipboardGuard::currentPlatform() noexcept {
#if defined(Q_OS_MACOS)
    return Platform::MacOS;
#elif defined(Q_OS_WIN)
    return Platform::Windows;
#else
    return Platform::Unix;
#endif
}

QMimeData* ClipboardGuard::makeSecretMimeData(const QString& text, Platform platform) {
    auto* mime = new QMimeData;
    mime->setText(text);
    switch (platform) {
    case Platform::Unix:
        // KDE's Klipper (and clipboard managers that follow it) skip entries marked so.
        mime->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
        break;
    case Platform::Windows:
        mime->setData(QStringLiteral("ExcludeClipboardContentFromMonitorProcessing"), dword(1));
        mime->setData(QStringLiteral("CanIncludeInClipboardHistory"), dword(0));
        mime->setData(QStringLiteral("CanUploadToCloudClipboard"), dword(0));
        break;
    case Platform::MacOS:
        mime->setData(QStringLiteral("application/x-nspasteboard-concealed-type"), text.toUtf8());
        break;
    }
    return mime;
}

void ClipboardGuard::copy(const QString& text) {
    m_hash = hashOf(text);
    m_deadline = m_clock() + m_clearAfter;
    m_copying = true;
    m_clipboard->setMimeData(makeSecretMimeData(text));
    m_copying = false;
    m_ticker.start();
    m_lastSecondsLeft = secondsLeft();
    Q_EMIT countdownChanged(m_lastSecondsLeft);
}

void ClipboardGuard::clear() {
    if (!isArmed()) {
        return;
    }
    const bool ours = holdsOurValue();
    disarm();
    if (ours) {
        m_clipboard->clear();
        Q_EMIT cleared();
    }
}

int ClipboardGuard::secondsLeft() const {
    if (!isArmed()) {
        return 0;
    }
    const auto left = std::chrono::ceil<std::chrono::seconds>(m_deadline - m_clock());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

void ClipboardGuard::onTickElapsed() {
    if (!isArmed()) {
        m_ticker.stop();
        return;
    }
    if (m_clock() >= m_deadline) {
        clear();
        return;
    }
    if (const int left = secondsLeft(); left != m_lastSecondsLeft) {
        m_lastSecondsLeft = left;
        Q_EMIT countdownChanged(left);
    }
}

void ClipboardGuard::onClipboardChanged() {
    // Someone else's copy replaces ours: nothing of ours is left to clear.
    if (!m_copying && isArmed() && !holdsOurValue()) {
        disarm();
    }
}

void ClipboardGuard::disarm() {
    m_ticker.stop();
    m_hash.reset();
    m_lastSecondsLeft = 0;
    Q_EMIT countdownChanged(0);
}

crypto::Hash256 ClipboardGuard::hashOf(const QString& text) const {
    QByteArray utf8 = text.toUtf8();
    const auto hash = crypto::blake2bKeyed(
        m_hashKey, std::as_bytes(std::span(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
    crypto::wipe(std::as_writable_bytes(std::span(utf8.data(), static_cast<std::size_t>(utf8.size()))));
    return hash;
}

bool ClipboardGuard::holdsOurValue() const {
    if (!m_hash) {
        return false;
    }
    const QMimeData* mime = m_clipboard->mimeData();
    if (mime == nullptr || !mime->hasText()) {
        return false;
    }
    return hashOf(mime->text()) == *m_hash;
}

} // namespace coffer::ui
