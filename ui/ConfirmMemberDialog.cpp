// SPDX-License-Identifier: Apache-2.0
#include "ui/ConfirmMemberDialog.h"

#include "ui/Confirm.h"
#include "ui/PageLayout.h"
#include "ui/TeamText.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace coffer::ui {

ConfirmMemberDialog::ConfirmMemberDialog(const sync::MemberInfo& member, QWidget* parent)
    : QDialog(parent)
    , m_name(member.name) {
    setObjectName(QStringLiteral("confirmMemberDialog"));
    setWindowTitle(tr("Confirm %1").arg(member.name));

    auto* question = page::makeTitle(tr("Does %1 read you exactly these digits?").arg(member.name), this);
    question->setObjectName(QStringLiteral("confirmQuestion"));
    auto* how = page::makeSubtitle(tr("Ask %1 to read the fingerprint shown on their Team page, over the phone or in "
                                      "person, not through the server. Every group must match.")
                                       .arg(member.name),
                                   this);

    auto* digits = new QLabel(team::fingerprintLines(member.fingerprint, 3), this);
    digits->setObjectName(QStringLiteral("confirmFingerprint"));
    digits->setFont(team::fingerprintFont(2.0));
    digits->setAlignment(Qt::AlignCenter);
    digits->setTextInteractionFlags(Qt::TextSelectableByMouse);
    digits->setTextFormat(Qt::PlainText);
    digits->setAccessibleName(tr("Fingerprint of %1: %2").arg(member.name, member.fingerprint));
    auto* frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setBackgroundRole(QPalette::Base);
    frame->setAutoFillBackground(true);
    auto* frameLayout = new QVBoxLayout(frame);
    frameLayout->setContentsMargins(24, 16, 24, 16);
    frameLayout->addWidget(digits);

    m_role = new QComboBox(this);
    m_role->setObjectName(QStringLiteral("confirmRoleCombo"));
    m_role->addItem(team::roleText(protocol::Role::Member), static_cast<int>(protocol::Role::Member));
    m_role->addItem(team::roleText(protocol::Role::Admin), static_cast<int>(protocol::Role::Admin));
    m_role->setToolTip(tr("Admins can invite, confirm, remove and change access"));
    auto* form = page::makeForm();
    form->addRow(tr("&Role:"), m_role);

    auto* buttons = new QDialogButtonBox(this);
    auto* confirmButton = buttons->addButton(tr("They &Match \u2014 Confirm"), QDialogButtonBox::AcceptRole);
    confirmButton->setObjectName(QStringLiteral("confirmMatchButton"));
    confirmButton->setDefault(true);
    auto* skipButton = buttons->addButton(tr("&Skip Verification\u2026"), QDialogButtonBox::ActionRole);
    skipButton->setObjectName(QStringLiteral("confirmSkipButton"));
    skipButton->setAutoDefault(false);
    buttons->addButton(QDialogButtonBox::Cancel);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 20, 20, 16);
    layout->setSpacing(12);
    layout->addWidget(question);
    layout->addWidget(how);
    layout->addWidget(frame);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(page::kCardWidth + 40);

    connect(confirmButton, &QPushButton::clicked, this, &ConfirmMemberDialog::confirmMatch);
    connect(skipButton, &QPushButton::clicked, this, &ConfirmMemberDialog::skip);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

protocol::Role ConfirmMemberDialog::role() const {
    return static_cast<protocol::Role>(m_role->currentData().toInt());
}

void ConfirmMemberDialog::confirmMatch() {
    m_skip = false;
    accept();
}

bool ConfirmMemberDialog::skip() {
    if (!confirm::ask(this, tr("Skip Verification"),
                      tr("Without comparing fingerprints you cannot know that the keys are %1's: whoever runs or "
                         "breaks into the server could have put their own in between, and would read everything "
                         "shared with %1. %1 will be shown as unverified.\n\nAdd %1 without verification?")
                          .arg(m_name),
                      tr("Add Without Verification"))) {
        return false;
    }
    m_skip = true;
    accept();
    return true;
}

} // namespace coffer::ui
