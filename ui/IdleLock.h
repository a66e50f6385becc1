// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

namespace coffer::ui {

/// Says when the user has been away for timeout() (10 minutes by default): an event filter on the application
/// restarts the wait on every key, mouse, wheel and touch event. Runs only between start() and stop() (while a
/// vault is open).
class IdleLock : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    static constexpr std::chrono::milliseconds kDefaultTimeout{10 * 60 * 1000};

    explicit IdleLock(QObject* parent = nullptr);
    ~IdleLock() override;

    /// Zero means never.
    void setTimeout(std::chrono::milliseconds timeout) noexcept { m_timeout = timeout; }
    [[nodiscard]] std::chrono::milliseconds timeout() const noexcept { return m_timeout; }
    /// How often the clock is read (1 s); tests set it short, together with setClock().
    void setTickInterval(std::chrono::milliseconds interval);
    /// The time source; tests inject one they can advance.
    void setClock(Clock clock);

    void start();
    void stop();
    [[nodiscard]] bool isRunning() const noexcept { return m_ticker.isActive(); }
    /// Counts as user input: the wait starts again.
    void touch();

Q_SIGNALS:
    /// No input for timeout(); the watch stops until start() is called again.
    void idleTimedOut();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onTickElapsed();

    QTimer m_ticker;
    Clock m_clock;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    std::chrono::steady_clock::time_point m_lastInput;
};

} // namespace coffer::ui
