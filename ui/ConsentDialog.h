// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentServer.h"

#include <QDialog>

#include <chrono>

class QComboBox;
class QLabel;
class QPushButton;
class QTimer;

namespace coffer::ui {

/// The question the desktop app asks when `coffer-cli`, through the agent, wants to read a protected
/// environment: which command, which project and environment, which process (pid and executable). Allow Once,
/// Allow for N minutes (5, 15 or 60) or Deny; no answer before the deadline is Deny, and so is closing it.
///
/// It is built so that no keystroke meant for another window approves by accident: no button is the default
/// (Enter does nothing, Escape denies), the focus starts on Deny, it is shown without taking the focus, and the
/// two Allow buttons are enabled only after a short delay (setArmDelay()).
///
/// decided() is emitted exactly once, whatever ends the dialog (a button, the deadline, close, destruction).
class ConsentDialog : public QDialog {
    Q_OBJECT
public:
    /// `timeout`: how long the question stays open before it denies by itself.
    ConsentDialog(const agent::ConsentRequest& request, std::chrono::milliseconds timeout, QWidget* parent = nullptr);
    ~ConsentDialog() override;

    /// The minutes offered by "Allow for", in order; 15 is preselected.
    [[nodiscard]] static QList<int> minuteChoices();
    /// The answer given, once decided() was emitted.
    [[nodiscard]] bool isDecided() const noexcept { return m_decided; }
    [[nodiscard]] const agent::ConsentDecision& decision() const noexcept { return m_decision; }
    /// How long the Allow buttons stay disabled after the dialog shows (default 1 s; tests use 0).
    void setArmDelay(std::chrono::milliseconds delay);
    /// The "Allow for" choice, in minutes.
    [[nodiscard]] int chosenMinutes() const;

    void allowOnce();
    void allowForMinutes();
    void deny();
    /// The question this dialog asks.
    [[nodiscard]] const agent::ConsentRequest& request() const noexcept { return m_request; }
    void reject() override;

Q_SIGNALS:
    void decided(const coffer::agent::ConsentDecision& decision);

protected:
    void showEvent(QShowEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void finish(agent::ConsentDecision decision);
    void onTick();
    void updateAllowForText();
    void updateCountdown();

    agent::ConsentRequest m_request;
    agent::ConsentDecision m_decision;
    bool m_decided = false;
    std::chrono::steady_clock::time_point m_deadline;
    std::chrono::milliseconds m_armDelay{1000};
    QTimer* m_tick = nullptr;
    QLabel* m_countdown = nullptr;
    QComboBox* m_minutes = nullptr;
    QPushButton* m_allowOnce = nullptr;
    QPushButton* m_allowFor = nullptr;
    QPushButton* m_deny = nullptr;
};

} // namespace coffer::ui
