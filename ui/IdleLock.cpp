// SPDX-License-Identifier: Apache-2.0
#include "ui/IdleLock.h"

#include <QCoreApplication>
#include <QEvent>

#include <utility>

namespace coffer::ui {
namespace {

bool isUserInput(QEvent::Type type) {
    switch (type) {
    case QEvent::KeyPress:
    case QEvent::KeyRelease:
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::TabletPress:
        return true;
    default:
        return false;
    }
}

} // namespace

IdleLock::IdleLock(QObject* parent)
    : QObject(parent)
    , m_clock([] { return std::chrono::steady_clock::now(); }) {
    m_ticker.setInterval(std::chrono::seconds(1));
    connect(&m_ticker, &QTimer::timeout, this, &IdleLock::onTickElapsed);
    if (auto* app = QCoreApplication::instance(); app != nullptr) {
        app->installEventFilter(this);
    }
}

IdleLock::~IdleLock() {
    if (auto* app = QCoreApplication::instance(); app != nullptr) {
        app->removeEventFilter(this);
    }
}

void IdleLock::setTickInterval(std::chrono::milliseconds interval) {
    m_ticker.setInterval(interval);
}

void IdleLock::setClock(Clock clock) {
    m_clock = std::move(clock);
}

void IdleLock::start() {
    touch();
    m_ticker.start();
}

void IdleLock::stop() {
    m_ticker.stop();
}

void IdleLock::touch() {
    m_lastInput = m_clock();
}

bool IdleLock::eventFilter(QObject* watched, QEvent* event) {
    if (m_ticker.isActive() && isUserInput(event->type())) {
        touch();
    }
    return QObject::eventFilter(watched, event);
}

void IdleLock::onTickElapsed() {
    if (m_timeout.count() > 0 && m_clock() - m_lastInput >= m_timeout) {
        stop();
        Q_EMIT idleTimedOut();
    }
}

} // namespace coffer::ui
