// SPDX-License-Identifier: Apache-2.0
#include "ui/UnlockPage.h"

#include "ui/Icons.h"
#include "ui/LinkButton.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/Passwords.h"
#include "ui/PathLabel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace coffer::ui {

UnlockPage::UnlockPage(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("unlockPage"));
    auto* card = new QWidget(this);

    m_path = new PathLabel(card);
    m_path->setObjectName(QStringLiteral("unlockPathLabel"));
    m_password = new QLineEdit(card);
    m_password->setObjectName(QStringLiteral("unlockPasswordEdit"));
    m_password->setEchoMode(QLineEdit::Password);

    auto* form = page::makeForm();
    form->addRow(tr("Vault:"), m_path);
    form->addRow(tr("Master &password:"), m_password);

    m_error = new MessageBanner(card);
    m_error->setObjectName(QStringLiteral("unlockErrorBanner"));

    m_busyBar = page::makeBusyBar(card);
    m_busyBar->setObjectName(QStringLiteral("unlockBusyBar"));
    m_busyLabel = new QLabel(tr("Unlocking…"), card);
    m_busyLabel->setForegroundRole(QPalette::PlaceholderText);
    QSizePolicy keepSpace = m_busyLabel->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true);
    m_busyLabel->setSizePolicy(keepSpace);
    m_busyLabel->hide();

    m_unlock = new QPushButton(tr("Unlock"), card);
    m_unlock->setObjectName(QStringLiteral("unlockButton"));
    m_unlock->setDefault(true);
    m_unlock->setAutoDefault(true);
    auto* busyRow = new QHBoxLayout;
    busyRow->setSpacing(10);
    busyRow->addWidget(m_busyLabel);
    busyRow->addWidget(m_busyBar, 1);
    busyRow->addWidget(m_unlock);

    m_openAnother = new LinkButton(tr("Open another vault…"), card);
    m_openAnother->setObjectName(QStringLiteral("openAnotherButton"));
    m_createNew = new LinkButton(tr("Create new vault…"), card);
    m_createNew->setObjectName(QStringLiteral("createNewButton"));
    auto* linkRow = new QHBoxLayout;
    linkRow->addStretch(1);
    linkRow->addWidget(m_openAnother);
    linkRow->addSpacing(8);
    linkRow->addWidget(m_createNew);
    linkRow->addStretch(1);

    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(page::makeIconLabel(icons::app(), 72, card));
    layout->addWidget(page::makeTitle(tr("Unlock your vault"), card));
    layout->addWidget(page::makeSubtitle(tr("Enter the master password of this vault."), card));
    layout->addSpacing(8);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addLayout(busyRow);
    layout->addSpacing(4);
    layout->addLayout(linkRow);
    page::centre(this, card);

    connect(m_password, &QLineEdit::textChanged, this, &UnlockPage::onPasswordChanged);
    connect(m_password, &QLineEdit::returnPressed, this, &UnlockPage::onUnlockClicked);
    connect(m_unlock, &QPushButton::clicked, this, &UnlockPage::onUnlockClicked);
    connect(m_openAnother, &QPushButton::clicked, this, &UnlockPage::openAnotherRequested);
    connect(m_createNew, &QPushButton::clicked, this, &UnlockPage::createNewRequested);
    onPasswordChanged();
}

void UnlockPage::setVaultPath(const QString& path) {
    m_path->setPath(path);
}

QString UnlockPage::vaultPath() const {
    return m_path->path();
}

void UnlockPage::setBusy(bool busy) {
    m_busy = busy;
    m_password->setEnabled(!busy);
    m_openAnother->setEnabled(!busy);
    m_createNew->setEnabled(!busy);
    m_busyBar->setVisible(busy);
    m_busyLabel->setVisible(busy);
    if (busy) {
        m_error->clearMessage();
    }
    onPasswordChanged();
}

void UnlockPage::showError(const QString& message) {
    m_error->showMessage(MessageBanner::Kind::Error, message);
}

void UnlockPage::clearError() {
    m_error->clearMessage();
}

void UnlockPage::resetPassword() {
    m_password->clear();
    m_password->setFocus();
}

crypto::SecureBuffer UnlockPage::takePassword() {
    return ui::takePassword(*m_password);
}

void UnlockPage::onPasswordChanged() {
    m_unlock->setEnabled(!m_busy && !m_password->text().isEmpty());
}

void UnlockPage::onUnlockClicked() {
    if (m_busy || m_password->text().isEmpty()) {
        return;
    }
    Q_EMIT unlockRequested();
}

} // namespace coffer::ui
