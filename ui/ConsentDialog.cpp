// SPDX-License-Identifier: Apache-2.0
#include "ui/ConsentDialog.h"

#include "ui/Icons.h"
#include "ui/PageLayout.h"
#include "ui/PathLabel.h"
#include "ui/Text.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace coffer::ui {
namespace {

using Clock = std::chrono::steady_clock;

QPushButton* makeButton(const QString& text, const char* name, QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setObjectName(QString::fromLatin1(name));
    // QDialog makes its push buttons auto-default: Enter on a focused one would click it. None is here.
    button->setAutoDefault(false);
    button->setDefault(false);
    return button;
}

QLabel* makeValue(const QString& text, const char* name, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

ConsentDialog::ConsentDialog(const agent::ConsentRequest& request, std::chrono::milliseconds timeout, QWidget* parent)
    : QDialog(parent)
    , m_request(request)
    , m_deadline(Clock::now() + timeout)
    , m_tick(new QTimer(this)) {
    setObjectName(QStringLiteral("consentDialog"));
    setWindowTitle(tr("Coffer \u2014 Allow Access?"));
    // Appearing must not take the keyboard from the window the user types in: a keystroke meant for a terminal
    // must never answer this question.
    setAttribute(Qt::WA_ShowWithoutActivating);

    const QString program = QFileInfo(request.executable).fileName();
    const QString scope = tr("%1 \u203a %2").arg(request.project, request.environment);

    auto* icon = page::makeIconLabel(icons::lock(), 40, this);
    auto* title = new QLabel(tr("Allow \u201c%1\u201d to read %2?").arg(request.command, scope), this);
    title->setObjectName(QStringLiteral("consentTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    title->setTextFormat(Qt::PlainText);
    title->setWordWrap(true);
    auto* why = new QLabel(tr("%1 is a protected environment. A program on this computer is asking the unlocked "
                              "vault for it. Allow only if you have just started this command yourself.")
                               .arg(request.environment),
                           this);
    why->setObjectName(QStringLiteral("consentExplanation"));
    why->setTextFormat(Qt::PlainText);
    why->setWordWrap(true);

    auto* processPath = new PathLabel(this);
    processPath->setObjectName(QStringLiteral("consentExecutable"));
    processPath->setPath(request.executable.isEmpty() ? tr("unknown") : request.executable);
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setHorizontalSpacing(16);
    form->setVerticalSpacing(6);
    form->addRow(tr("Command:"), makeValue(request.command, "consentCommand", this));
    form->addRow(tr("Project:"), makeValue(request.project, "consentProject", this));
    form->addRow(tr("Environment:"),
                 makeValue(tr("%1 (protected)").arg(request.environment), "consentEnvironment", this));
    form->addRow(tr("Requested by:"), makeValue(program.isEmpty() ? tr("process %1").arg(request.pid)
                                                                  : tr("%1, process %2").arg(program).arg(request.pid),
                                                "consentProcess", this));
    form->addRow(tr("Program:"), processPath);

    m_countdown = new QLabel(this);
    m_countdown->setObjectName(QStringLiteral("consentCountdown"));
    m_countdown->setForegroundRole(QPalette::PlaceholderText);

    m_deny = makeButton(tr("&Deny"), "consentDenyButton", this);
    m_deny->setToolTip(tr("Refuse this request: the command fails and reads nothing"));
    m_minutes = new QComboBox(this);
    m_minutes->setObjectName(QStringLiteral("consentMinutesCombo"));
    m_minutes->setAccessibleName(tr("How long to allow this command"));
    for (const int minutes : minuteChoices()) {
        m_minutes->addItem(countText(minutes, tr("minute"), tr("minutes")), minutes);
    }
    m_minutes->setCurrentIndex(static_cast<int>(minuteChoices().indexOf(15)));
    // No mnemonic on the Allow buttons either: only a deliberate click, or Tab to the button and Space, allows.
    m_allowFor = makeButton(tr("Allow for"), "consentAllowForButton", this);
    m_allowFor->setAccessibleName(tr("Allow this command for the chosen time"));
    m_allowOnce = makeButton(tr("Allow Once"), "consentAllowOnceButton", this);
    m_allowOnce->setToolTip(tr("Answer this request only; the next one asks again"));
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(8);
    buttons->addWidget(m_deny);
    buttons->addStretch(1);
    buttons->addWidget(m_allowFor);
    buttons->addWidget(m_minutes);
    buttons->addWidget(m_allowOnce);

    // The icon beside one column of text: the question, why it is asked, the facts, the deadline.
    auto* text = new QVBoxLayout;
    text->setSpacing(10);
    text->addWidget(title);
    text->addWidget(why);
    text->addSpacing(4);
    text->addLayout(form);
    text->addSpacing(4);
    text->addWidget(m_countdown);
    auto* top = new QHBoxLayout;
    top->setSpacing(18);
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addLayout(text, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 18);
    layout->setSpacing(20);
    layout->addLayout(top);
    layout->addLayout(buttons);
    setMinimumWidth(page::kCardWidth + 160);

    // A keystroke or a click meant for another window can land here the moment it appears: the Allow buttons
    // wait for the arm delay. Deny never waits, and holds the focus.
    m_allowOnce->setEnabled(false);
    m_allowFor->setEnabled(false);
    m_minutes->setEnabled(false);
    setFocusProxy(m_deny);
    m_deny->setFocus();

    connect(m_deny, &QPushButton::clicked, this, &ConsentDialog::deny);
    connect(m_allowOnce, &QPushButton::clicked, this, &ConsentDialog::allowOnce);
    connect(m_allowFor, &QPushButton::clicked, this, &ConsentDialog::allowForMinutes);
    connect(m_minutes, &QComboBox::currentIndexChanged, this, &ConsentDialog::updateAllowForText);
    connect(m_tick, &QTimer::timeout, this, &ConsentDialog::onTick);
    m_tick->start(250);
    updateAllowForText();
    updateCountdown();
}

ConsentDialog::~ConsentDialog() {
    // The request must get its answer even when the dialog goes away unanswered (the window closes).
    if (!m_decided) {
        m_decided = true;
        Q_EMIT decided(m_decision);
    }
}

QList<int> ConsentDialog::minuteChoices() {
    return {5, 15, 60};
}

void ConsentDialog::setArmDelay(std::chrono::milliseconds delay) {
    m_armDelay = delay;
}

int ConsentDialog::chosenMinutes() const {
    return m_minutes->currentData().toInt();
}

void ConsentDialog::allowOnce() {
    finish({agent::ConsentAnswer::AllowOnce, 0});
}

void ConsentDialog::allowForMinutes() {
    finish({agent::ConsentAnswer::AllowForMinutes, chosenMinutes()});
}

void ConsentDialog::deny() {
    finish({agent::ConsentAnswer::Deny, 0});
}

void ConsentDialog::reject() {
    // Escape, the window's close button, or the window locking: all of them deny.
    finish({agent::ConsentAnswer::Deny, 0});
}

void ConsentDialog::finish(agent::ConsentDecision decision) {
    if (m_decided) {
        return;
    }
    m_decided = true;
    m_decision = decision;
    m_tick->stop();
    Q_EMIT decided(m_decision);
    if (decision.answer == agent::ConsentAnswer::Deny) {
        QDialog::reject();
    } else {
        QDialog::accept();
    }
}

void ConsentDialog::showEvent(QShowEvent* event) {
    QDialog::showEvent(event);
    QTimer::singleShot(m_armDelay, this, [this] {
        if (m_decided) {
            return;
        }
        m_allowOnce->setEnabled(true);
        m_allowFor->setEnabled(true);
        m_minutes->setEnabled(true);
    });
}

void ConsentDialog::keyPressEvent(QKeyEvent* event) {
    // QDialog clicks the default button on Enter; there is none, and Enter must not find one.
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        event->accept();
        return;
    }
    QDialog::keyPressEvent(event);
}

void ConsentDialog::onTick() {
    if (Clock::now() >= m_deadline) {
        deny();
        return;
    }
    updateCountdown();
}

void ConsentDialog::updateAllowForText() {
    m_allowFor->setToolTip(tr("Allow this command on this environment without asking again for %1, or until the "
                              "vault locks")
                               .arg(countText(chosenMinutes(), tr("minute"), tr("minutes"))));
}

void ConsentDialog::updateCountdown() {
    const auto left = std::chrono::ceil<std::chrono::seconds>(std::max(m_deadline - Clock::now(), Clock::duration{}));
    m_countdown->setText(tr("Without an answer, this request is denied in %1.")
                             .arg(countText(left.count(), tr("second"), tr("seconds"))));
}

} // namespace coffer::ui
