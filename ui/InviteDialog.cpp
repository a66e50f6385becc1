// SPDX-License-Identifier: Apache-2.0
#include "ui/InviteDialog.h"

#include "ui/ClipboardGuard.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/TeamText.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace coffer::ui {

InviteDialog::InviteDialog(const QString& teamName, const crypto::SecureBuffer& code, const QString& myFingerprint,
                           ClipboardGuard& clipboard, QWidget* parent)
    : QDialog(parent)
    , m_clipboard(clipboard) {
    setObjectName(QStringLiteral("inviteDialog"));
    setWindowTitle(tr("Invite to %1").arg(teamName));

    auto* title = page::makeTitle(tr("Invite code"), this);
    auto* how = page::makeSubtitle(
        tr("Send this code to the person you invite, over a channel you trust. It works once and expires in 24 "
           "hours. When they have joined, select them on the Team page and Confirm after they read you their "
           "fingerprint."),
        this);

    m_code = new QLineEdit(QString::fromUtf8(code.view()), this);
    m_code->setObjectName(QStringLiteral("inviteCodeEdit"));
    m_code->setReadOnly(true);
    m_code->setFont(team::fingerprintFont());
    m_code->setAccessibleName(tr("Invite code"));
    m_code->setCursorPosition(0);
    auto* copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("inviteCopyButton"));
    copy->setToolTip(tr("Copy the code; the clipboard is cleared after a while"));
    auto* codeRow = new QHBoxLayout;
    codeRow->addWidget(m_code, 1);
    codeRow->addWidget(copy);

    auto* once = new MessageBanner(this);
    once->showMessage(MessageBanner::Kind::Warning,
                      tr("The code is shown only now. Anyone who has it can ask to join until it is used."));

    auto* mine = new QLabel(tr("They will see your fingerprint and can compare it with you:"), this);
    mine->setWordWrap(true);
    auto* digits = new QLabel(myFingerprint, this);
    digits->setObjectName(QStringLiteral("inviteMyFingerprint"));
    digits->setFont(team::fingerprintFont(1.2));
    digits->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 20, 20, 16);
    layout->setSpacing(10);
    layout->addWidget(title);
    layout->addWidget(how);
    layout->addLayout(codeRow);
    layout->addWidget(once);
    if (!myFingerprint.isEmpty()) {
        layout->addWidget(mine);
        layout->addWidget(digits);
    } else {
        mine->hide();
        digits->hide();
    }
    layout->addWidget(buttons);
    setMinimumWidth(page::kCardWidth + 100);

    connect(copy, &QPushButton::clicked, this, &InviteDialog::copyCode);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

InviteDialog::~InviteDialog() {
    m_code->clear();
}

void InviteDialog::copyCode() {
    m_clipboard.copy(m_code->text());
}

void InviteDialog::done(int result) {
    m_code->clear();
    QDialog::done(result);
}

} // namespace coffer::ui
