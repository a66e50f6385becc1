// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentServer.h"
#include "ui/ConsentDialog.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <deque>
#include <functional>

class QWidget;

namespace coffer::ui {

/// The desktop app's answer to the agent's consent questions: each request for a protected environment opens a
/// ConsentDialog over the window, one at a time in the order they came (the others wait, their deadlines
/// running). A request still waiting at its deadline is denied without a dialog. Every `done` is called exactly
/// once: by the dialog, the deadline, denyAll() or the destructor.
class AgentConsent : public QObject, public agent::ConsentProvider {
    Q_OBJECT
public:
    explicit AgentConsent(QWidget* window, QObject* parent = nullptr);
    ~AgentConsent() override;

    void ask(const agent::ConsentRequest& request, std::function<void(agent::ConsentDecision)> done) override;
    /// The client hung up: its dialog closes (the next question shows), or it leaves the queue.
    void withdraw(quint64 id) override;

    /// How long a question waits for an answer (default 60 s); the agent's own timeout is set a little longer.
    void setTimeout(std::chrono::milliseconds timeout);
    [[nodiscard]] std::chrono::milliseconds timeout() const noexcept { return m_timeout; }
    /// The dialogs' arm delay (ConsentDialog::setArmDelay); tests use 0.
    void setArmDelay(std::chrono::milliseconds delay);
    /// Denies the open question and every waiting one (the vault is locking).
    void denyAll();
    /// The question on screen, or nullptr.
    [[nodiscard]] ConsentDialog* currentDialog() const { return m_dialog; }
    /// Questions asked and not answered yet, the one on screen included.
    [[nodiscard]] int pendingCount() const;

Q_SIGNALS:
    /// A ConsentDialog is on screen now.
    void dialogShown(coffer::ui::ConsentDialog* dialog);

private:
    struct Pending {
        agent::ConsentRequest request;
        std::function<void(agent::ConsentDecision)> done;
        std::chrono::steady_clock::time_point deadline;
    };

    void showNext();

    QWidget* m_window;
    std::chrono::milliseconds m_timeout{60'000};
    std::chrono::milliseconds m_armDelay{1000};
    std::deque<Pending> m_waiting;
    QPointer<ConsentDialog> m_dialog;
};

} // namespace coffer::ui
