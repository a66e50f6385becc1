// SPDX-License-Identifier: Apache-2.0
#include "cli/TerminalConsent.h"

#include <QByteArray>
#include <QSocketNotifier>

#include <cerrno>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

constexpr int kAllowMinutes = 15;

} // namespace

TerminalConsent::TerminalConsent(int fd, QObject* parent)
    : QObject(parent)
    , m_fd(fd) {
    if (m_fd >= 0) {
        m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
        m_notifier->setEnabled(false);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &TerminalConsent::onAnswerReady);
    }
}

TerminalConsent::~TerminalConsent() {
    m_notifier.reset();
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void TerminalConsent::ask(const agent::ConsentRequest& request, std::function<void(agent::ConsentDecision)> done) {
    if (m_fd < 0) {
        done(agent::ConsentDecision{});
        return;
    }
    if (m_pending) {
        answer(agent::ConsentDecision{}); // one question at a time: the older one is denied
    }
    const QString executable = request.executable.isEmpty() ? u"unknown program"_s : request.executable;
    const QByteArray question =
        u"\ncoffer agent: `coffer-cli %1` (pid %2, %3) wants to read the protected environment %4/%5.\n"
        u"Allow? [y = once, m = this command for %6 minutes, N = deny] "_s.arg(request.command)
            .arg(request.pid)
            .arg(executable, request.project, request.environment)
            .arg(kAllowMinutes)
            .toUtf8();
    if (::write(m_fd, question.constData(), static_cast<std::size_t>(question.size())) != question.size()) {
        done(agent::ConsentDecision{}); // the terminal is gone
        return;
    }
    m_pending = std::move(done);
    m_notifier->setEnabled(true);
}

void TerminalConsent::onAnswerReady() {
    char line[64];
    const ssize_t got = ::read(m_fd, line, sizeof line);
    if (got <= 0) {
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            return;
        }
        // The terminal closed (hang-up): nobody can answer any more.
        m_notifier->setEnabled(false);
        ::close(m_fd);
        m_fd = -1;
        answer(agent::ConsentDecision{});
        return;
    }
    const char first = line[0];
    if (first == 'y' || first == 'Y') {
        answer(agent::ConsentDecision{agent::ConsentAnswer::AllowOnce, 0});
    } else if (first == 'm' || first == 'M') {
        answer(agent::ConsentDecision{agent::ConsentAnswer::AllowForMinutes, kAllowMinutes});
    } else {
        answer(agent::ConsentDecision{});
    }
}

void TerminalConsent::answer(agent::ConsentDecision decision) {
    if (m_notifier) {
        m_notifier->setEnabled(false);
    }
    if (auto done = std::exchange(m_pending, nullptr)) {
        done(decision);
    }
}

} // namespace coffer::cli
