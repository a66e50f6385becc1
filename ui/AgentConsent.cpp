// SPDX-License-Identifier: Apache-2.0
#include "ui/AgentConsent.h"

#include "ui/ConsentDialog.h"

#include <QApplication>
#include <QWidget>

#include <algorithm>
#include <utility>

namespace coffer::ui {

using Clock = std::chrono::steady_clock;

AgentConsent::AgentConsent(QWidget* window, QObject* parent)
    : QObject(parent)
    , m_window(window) {}

AgentConsent::~AgentConsent() {
    denyAll();
}

void AgentConsent::setTimeout(std::chrono::milliseconds timeout) {
    m_timeout = timeout;
}

void AgentConsent::setArmDelay(std::chrono::milliseconds delay) {
    m_armDelay = delay;
}

int AgentConsent::pendingCount() const {
    return static_cast<int>(m_waiting.size()) + (m_dialog != nullptr ? 1 : 0);
}

void AgentConsent::ask(const agent::ConsentRequest& request, std::function<void(agent::ConsentDecision)> done) {
    m_waiting.push_back({request, std::move(done), Clock::now() + m_timeout});
    if (m_dialog == nullptr) {
        showNext();
    }
}

void AgentConsent::showNext() {
    while (!m_waiting.empty() && m_dialog == nullptr) {
        Pending next = std::move(m_waiting.front());
        m_waiting.pop_front();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next.deadline - Clock::now());
        if (left <= std::chrono::milliseconds::zero()) {
            next.done({agent::ConsentAnswer::Deny, 0});
            continue;
        }
        auto* dialog = new ConsentDialog(next.request, left, m_window);
        dialog->setArmDelay(m_armDelay);
        // Modal to the whole app: a dialog already open over the window (an edit, Settings) must not keep the
        // question from being answered.
        dialog->setWindowModality(Qt::ApplicationModal);
        connect(dialog, &ConsentDialog::decided, this,
                [done = std::move(next.done)](const agent::ConsentDecision& decision) { done(decision); });
        connect(dialog, &QDialog::finished, this, [this, dialog] {
            if (m_dialog == dialog) {
                m_dialog = nullptr;
            }
            dialog->deleteLater();
            showNext();
        });
        m_dialog = dialog;
        dialog->show();
        dialog->raise();
        // The taskbar entry flashes; the keyboard stays where the user is typing.
        QApplication::alert(dialog);
        Q_EMIT dialogShown(dialog);
    }
}

void AgentConsent::withdraw(quint64 id) {
    const auto waiting = std::find_if(m_waiting.begin(), m_waiting.end(),
                                      [id](const Pending& pending) { return pending.request.id == id; });
    if (waiting != m_waiting.end()) {
        Pending withdrawn = std::move(*waiting);
        m_waiting.erase(waiting);
        withdrawn.done({agent::ConsentAnswer::Deny, 0});
        return;
    }
    if (m_dialog != nullptr && m_dialog->request().id == id) {
        m_dialog->deny(); // its end shows the next question
    }
}

void AgentConsent::denyAll() {
    // The waiting ones leave the line first, so that the open dialog's end shows none of them.
    std::deque<Pending> waiting;
    waiting.swap(m_waiting);
    if (ConsentDialog* dialog = m_dialog; dialog != nullptr) {
        m_dialog = nullptr;
        dialog->deny();
        dialog->deleteLater();
    }
    for (Pending& pending : waiting) {
        pending.done({agent::ConsentAnswer::Deny, 0});
    }
}

} // namespace coffer::ui
