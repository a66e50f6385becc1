// SPDX-License-Identifier: Apache-2.0
#include "ui/SyncStatusWidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QToolButton>

#include <algorithm>

namespace coffer::ui {
namespace {

using State = sync::SyncStatus::State;

QColor stateColour(State state) {
    switch (state) {
    case State::Synced:
        return {46, 140, 87};
    case State::Syncing:
        return {63, 127, 203};
    case State::Offline:
        return {128, 132, 138};
    case State::Conflict:
        return {201, 138, 20};
    case State::IntegrityError:
        return {204, 55, 66};
    case State::NotShared:
        break;
    }
    return {128, 132, 138};
}

QPixmap dot(const QColor& colour, int size, qreal ratio) {
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2));
    return pixmap;
}

QString firstLine(const QString& text) {
    return text.section(QLatin1Char('\n'), 0, 0);
}

} // namespace

SyncStatusWidget::SyncStatusWidget(QWidget* parent)
    : QWidget(parent)
    , m_dot(new QLabel(this))
    , m_label(new QLabel(this))
    , m_syncNow(new QToolButton(this)) {
    setObjectName(QStringLiteral("syncStatus"));
    m_dot->setObjectName(QStringLiteral("syncStatusDot"));
    m_label->setObjectName(QStringLiteral("syncStatusLabel"));
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_syncNow->setObjectName(QStringLiteral("syncNowButton"));
    m_syncNow->setText(tr("Sync now"));
    m_syncNow->setToolTip(tr("Pull the team's changes and push yours now"));
    m_syncNow->setAutoRaise(true);
    m_syncNow->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot);
    layout->addWidget(m_label);
    layout->addWidget(m_syncNow);

    connect(m_syncNow, &QToolButton::clicked, this, &SyncStatusWidget::syncNowRequested);
    connect(m_label, &QLabel::linkActivated, this, &SyncStatusWidget::onLinkActivated);
    apply(m_status);
}

void SyncStatusWidget::attach(sync::SyncController* controller) {
    if (m_controller != nullptr) {
        disconnect(m_controller, nullptr, this, nullptr);
        disconnect(this, &SyncStatusWidget::syncNowRequested, m_controller, nullptr);
    }
    m_controller = controller;
    if (controller == nullptr) {
        apply({});
        return;
    }
    connect(controller, &sync::SyncController::statusChanged, this, &SyncStatusWidget::setStatus);
    connect(controller, &sync::SyncController::progressed, this, &SyncStatusWidget::setProgress);
    connect(this, &SyncStatusWidget::syncNowRequested, controller, &sync::SyncController::syncNow);
    connect(controller, &QObject::destroyed, this, [this] {
        m_controller = nullptr;
        apply({});
    });
    apply(controller->status());
}

void SyncStatusWidget::setStatus(const sync::SyncStatus& status) {
    apply(status);
}

void SyncStatusWidget::setProgress(const sync::SyncProgress& progress) {
    if (m_status.state != State::Syncing || progress.total == 0) {
        return;
    }
    sync::SyncStatus status = m_status;
    status.progress = static_cast<int>(std::min<std::uint64_t>(100, progress.done * 100 / progress.total));
    apply(status);
}

QString SyncStatusWidget::describe(const sync::SyncStatus& status) {
    switch (status.state) {
    case State::NotShared:
        return {};
    case State::Synced:
        return status.message.isEmpty() ? tr("Synced") : firstLine(status.message);
    case State::Syncing:
        return status.progress >= 0 ? tr("Syncing %1 %").arg(status.progress) : tr("Syncing\u2026");
    case State::Offline:
        return tr("Offline (retrying)");
    case State::Conflict:
        return status.openConflicts == 1 ? tr("1 conflict") : tr("%1 conflicts").arg(status.openConflicts);
    case State::IntegrityError:
        break;
    }
    // "Integrity error in app/prod: <check>": the short part before the colon, the rest in the tooltip.
    const QString line = firstLine(status.message);
    const qsizetype colon = line.indexOf(QLatin1String(": "));
    return colon > 0 ? line.left(colon) : (line.isEmpty() ? tr("Integrity error") : line);
}

QString SyncStatusWidget::text() const {
    return describe(m_status);
}

void SyncStatusWidget::apply(const sync::SyncStatus& status) {
    m_status = status;
    const bool shared = status.state != State::NotShared;
    setVisible(shared);
    const int size = fontMetrics().height() * 2 / 3;
    m_dot->setPixmap(dot(stateColour(status.state), size, devicePixelRatioF()));
    const QString text = describe(status).toHtmlEscaped();
    const bool link = status.state == State::Conflict || status.state == State::IntegrityError;
    if (link) {
        const QColor colour = stateColour(status.state);
        m_label->setText(
            QStringLiteral("<a href=\"open\" style=\"color:%1; font-weight:600;\">%2</a>").arg(colour.name(), text));
    } else {
        m_label->setText(text);
    }
    QString tip = status.message;
    if (status.pending > 0) {
        tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) +
               (status.pending == 1 ? tr("1 change waiting to be pushed")
                                    : tr("%1 changes waiting to be pushed").arg(status.pending));
    }
    if (status.state == State::Conflict) {
        tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Click to resolve");
    } else if (status.state == State::IntegrityError) {
        tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Click for the failed check");
    }
    m_label->setToolTip(tip);
    m_label->setAccessibleName(tr("Sync status: %1").arg(describe(status)));
    m_syncNow->setEnabled(status.state != State::Syncing);
}

void SyncStatusWidget::onLinkActivated() {
    if (m_status.state == State::Conflict) {
        Q_EMIT conflictsRequested();
    } else if (m_status.state == State::IntegrityError) {
        Q_EMIT integrityDetailsRequested(m_status.message);
    }
}

} // namespace coffer::ui
