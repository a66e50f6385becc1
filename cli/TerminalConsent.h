// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentServer.h"

#include <QObject>

#include <memory>

class QSocketNotifier;

namespace coffer::cli {

/// The headless agent's consent: asked on the terminal that started `coffer-cli agent start`, answered with
/// y (allow once), m (allow this command for 15 minutes) or anything else (deny). Without that terminal, or
/// once it is gone, every question is denied at once: nobody could answer it.
class TerminalConsent : public QObject, public agent::ConsentProvider {
    Q_OBJECT
public:
    /// Takes `fd` (an open terminal, or -1 for none) and closes it.
    explicit TerminalConsent(int fd, QObject* parent = nullptr);
    ~TerminalConsent() override;

    void ask(const agent::ConsentRequest& request, std::function<void(agent::ConsentDecision)> done) override;

private:
    void onAnswerReady();
    void answer(agent::ConsentDecision decision);

    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    std::function<void(agent::ConsentDecision)> m_pending;
};

} // namespace coffer::cli
