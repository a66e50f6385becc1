// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <QObject>
#include <QTimer>

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>

class QClipboard;
class QMimeData;

namespace coffer::ui {

/// The one way a secret reaches the clipboard. A copy carries the MIME hints that keep clipboard managers and
/// cloud clipboards away from it, and is cleared after clearAfter() (20 s by default) — but only while the
/// clipboard still holds our value: whatever the user copied since is left alone. Clears on lock (clear()), on
/// quit and when destroyed. Remembers a keyed hash of the value, never the value.
class ClipboardGuard : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    enum class Platform { Unix, Windows, MacOS };

    static constexpr std::chrono::milliseconds kDefaultClearAfter{20'000};

    /// `clipboard` defaults to the application's.
    explicit ClipboardGuard(QObject* parent = nullptr, QClipboard* clipboard = nullptr);
    ~ClipboardGuard() override;

    /// Applies to the next copy().
    void setClearAfter(std::chrono::milliseconds after) noexcept { m_clearAfter = after; }
    [[nodiscard]] std::chrono::milliseconds clearAfter() const noexcept { return m_clearAfter; }
    /// How often the countdown is checked (1 s); tests set it short, together with setClock().
    void setTickInterval(std::chrono::milliseconds interval);
    /// The time source of the countdown; tests inject one they can advance.
    void setClock(Clock clock);

    /// Puts `text` on the clipboard with the secret MIME hints and starts the countdown.
    void copy(const QString& text);
    /// Clears the clipboard now if it still holds our value, and stops the countdown. Idempotent.
    void clear();

    /// Whether a copy is waiting to be cleared.
    [[nodiscard]] bool isArmed() const noexcept { return m_hash.has_value(); }
    /// Whole seconds until the clipboard is cleared (rounded up), 0 when not armed.
    [[nodiscard]] int secondsLeft() const;

    /// The clipboard payload for `text`: text/plain plus the hints `platform` understands.
    [[nodiscard]] static QMimeData* makeSecretMimeData(const QString& text, Platform platform = currentPlatform());
    [[nodiscard]] static Platform currentPlatform() noexcept;

Q_SIGNALS:
    /// Seconds left before the clipboard is cleared; 0 when the countdown ends (cleared or abandoned).
    void countdownChanged(int secondsLeft);
    /// The clipboard was cleared because it still held our value.
    void cleared();

private:
    void onTickElapsed();
    void onClipboardChanged();
    void disarm();
    [[nodiscard]] crypto::Hash256 hashOf(const QString& text) const;
    [[nodiscard]] bool holdsOurValue() const;

    QClipboard* m_clipboard = nullptr;
    QTimer m_ticker;
    Clock m_clock;
    std::chrono::milliseconds m_clearAfter = kDefaultClearAfter;
    std::chrono::steady_clock::time_point m_deadline;
    std::optional<crypto::Hash256> m_hash;
    std::array<std::byte, 32> m_hashKey{};
    int m_lastSecondsLeft = 0;
    bool m_copying = false;
};

} // namespace coffer::ui
