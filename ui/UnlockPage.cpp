// SPDX-License-Identifier: Apache-2.0
#include "ui/UnlockPage.h"

#include "ui/Icons.h"
#include "ui/LinkButton.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/Passwords.h"
#include "ui/PathLabel.h"

#include <QCheckBox>
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
    m_remember = new QCheckBox(tr("Re&member on this device"), card);
    m_remember->setObjectName(QStringLiteral("rememberCheck"));
    m_remember->setAccessibleName(tr("Remember on this device"));
    m_remember->setToolTip(tr("Keep this vault's key in the desktop keychain, so that opening it here needs no "
                              "password. Anyone who can read your unlocked keychain can then open the vault."));
    m_remember->setChecked(false);
    m_remember->setEnabled(false);
    m_rememberNote = new QLabel(card);
    m_rememberNote->setObjectName(QStringLiteral("rememberNoteLabel"));
    m_rememberNote->setForegroundRole(QPalette::PlaceholderText);
    m_rememberNote->setWordWrap(true);
    m_rememberNote->hide();
    auto* rememberBox = new QVBoxLayout;
    rememberBox->setSpacing(2);
    rememberBox->addWidget(m_remember);
    rememberBox->addWidget(m_rememberNote);
    form->addRow(QString(), rememberBox);

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
    m_typePassword = new LinkButton(tr("Type the password instead"), card);
    m_typePassword->setObjectName(QStringLiteral("typePasswordButton"));
    m_typePassword->hide();
    linkRow->addStretch(1);
    linkRow->addWidget(m_typePassword);
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
    connect(m_typePassword, &QPushButton::clicked, this, &UnlockPage::typePasswordRequested);
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
    if (busy) {
        m_error->clearMessage();
    }
    updateInputs();
}

void UnlockPage::updateInputs() {
    const bool waiting = m_busy || m_rememberedUnlock;
    m_password->setEnabled(!waiting);
    m_openAnother->setEnabled(!waiting);
    m_createNew->setEnabled(!waiting);
    m_openAnother->setVisible(!m_rememberedUnlock);
    m_createNew->setVisible(!m_rememberedUnlock);
    m_typePassword->setVisible(m_rememberedUnlock);
    // The long "Unlocking with the key remembered…" needs the room; the button would be disabled anyway.
    m_unlock->setVisible(!m_rememberedUnlock);
    m_busyBar->setVisible(waiting);
    m_busyLabel->setText(m_rememberedUnlock ? tr("Unlocking with the key remembered on this device…")
                                            : tr("Unlocking…"));
    m_busyLabel->setVisible(waiting);
    onPasswordChanged();
}

void UnlockPage::setRememberAvailable(bool available, const QString& reason) {
    m_remember->setEnabled(available);
    if (!available) {
        m_remember->setChecked(false);
    }
    m_rememberNote->setText(reason);
    m_rememberNote->setVisible(!available && !reason.isEmpty());
}

bool UnlockPage::isRememberChecked() const {
    return m_remember->isEnabled() && m_remember->isChecked();
}

void UnlockPage::setRememberChecked(bool checked) {
    m_remember->setChecked(checked && m_remember->isEnabled());
}

void UnlockPage::setRememberedUnlock(bool active) {
    m_rememberedUnlock = active;
    if (active) {
        m_error->clearMessage();
    }
    updateInputs();
    if (!active) {
        m_password->setFocus();
    }
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
    m_unlock->setEnabled(!m_busy && !m_rememberedUnlock && !m_password->text().isEmpty());
}

void UnlockPage::onUnlockClicked() {
    if (m_busy || m_rememberedUnlock || m_password->text().isEmpty()) {
        return;
    }
    Q_EMIT unlockRequested();
}

} // namespace coffer::ui
