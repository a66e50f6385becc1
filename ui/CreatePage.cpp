// SPDX-License-Identifier: Apache-2.0
#include "ui/CreatePage.h"

#include "model/PasswordStrength.h"
#include "ui/Icons.h"
#include "ui/LinkButton.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/Passwords.h"
#include "ui/PathLabel.h"
#include "ui/StrengthMeter.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace coffer::ui {

CreatePage::CreatePage(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("createPage"));
    auto* card = new QWidget(this);

    m_path = new PathLabel(card);
    m_path->setObjectName(QStringLiteral("createPathLabel"));
    m_chooseLocation = new QPushButton(tr("Change…"), card);
    m_chooseLocation->setObjectName(QStringLiteral("chooseLocationButton"));
    m_chooseLocation->setToolTip(tr("Choose where the new vault file goes"));
    auto* pathRow = new QHBoxLayout;
    pathRow->setSpacing(8);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_chooseLocation);

    m_password = new QLineEdit(card);
    m_password->setObjectName(QStringLiteral("createPasswordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("At least %1 characters").arg(kMinimumPasswordLength));
    m_confirm = new QLineEdit(card);
    m_confirm->setObjectName(QStringLiteral("createConfirmEdit"));
    m_confirm->setEchoMode(QLineEdit::Password);
    m_confirm->setPlaceholderText(tr("Type it again"));
    m_hint = new QLabel(card);
    m_hint->setObjectName(QStringLiteral("createHintLabel"));
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_meter = new StrengthMeter(card);
    m_meter->setObjectName(QStringLiteral("createStrengthMeter"));

    auto* form = page::makeForm();
    form->addRow(tr("Location:"), pathRow);
    form->addRow(tr("Master &password:"), m_password);
    form->addRow(QString(), m_meter);
    form->addRow(tr("&Confirm password:"), m_confirm);
    form->addRow(QString(), m_hint);

    auto* warning = new MessageBanner(card);
    warning->setObjectName(QStringLiteral("createWarningBanner"));
    warning->showMessage(MessageBanner::Kind::Warning,
                         tr("A lost master password cannot be recovered. Nobody can reset it, so if you forget "
                            "it, the secrets in this vault are gone. Keep it somewhere safe."));

    m_error = new MessageBanner(card);
    m_error->setObjectName(QStringLiteral("createErrorBanner"));

    m_busyBar = page::makeBusyBar(card);
    m_busyBar->setObjectName(QStringLiteral("createBusyBar"));
    m_busyLabel = new QLabel(tr("Creating the vault…"), card);
    m_busyLabel->setForegroundRole(QPalette::PlaceholderText);
    QSizePolicy keepSpace = m_busyLabel->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true);
    m_busyLabel->setSizePolicy(keepSpace);
    m_busyLabel->hide();

    m_create = new QPushButton(tr("Create Vault"), card);
    m_create->setObjectName(QStringLiteral("createButton"));
    m_create->setDefault(true);
    m_create->setAutoDefault(true);
    m_create->setEnabled(false);
    auto* busyRow = new QHBoxLayout;
    busyRow->setSpacing(10);
    busyRow->addWidget(m_busyLabel);
    busyRow->addWidget(m_busyBar, 1);
    busyRow->addWidget(m_create);

    m_openExisting = new LinkButton(tr("Open existing vault…"), card);
    m_openExisting->setObjectName(QStringLiteral("openExistingButton"));
    auto* linkRow = new QHBoxLayout;
    linkRow->addStretch(1);
    linkRow->addWidget(m_openExisting);
    linkRow->addStretch(1);

    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(page::makeIconLabel(icons::app(), 72, card));
    layout->addWidget(page::makeTitle(tr("Create a new vault"), card));
    layout->addWidget(page::makeSubtitle(tr("Your secrets are encrypted with a key derived from the master password. "
                                            "Choose one you can remember and nobody can guess."),
                                         card));
    layout->addSpacing(8);
    layout->addLayout(form);
    layout->addWidget(warning);
    layout->addWidget(m_error);
    layout->addLayout(busyRow);
    layout->addSpacing(4);
    layout->addLayout(linkRow);
    page::centre(this, card);

    connect(m_password, &QLineEdit::textChanged, this, &CreatePage::onInputChanged);
    connect(m_confirm, &QLineEdit::textChanged, this, &CreatePage::onInputChanged);
    connect(m_password, &QLineEdit::returnPressed, m_confirm, qOverload<>(&QWidget::setFocus));
    connect(m_confirm, &QLineEdit::returnPressed, this, &CreatePage::onCreateClicked);
    connect(m_create, &QPushButton::clicked, this, &CreatePage::onCreateClicked);
    connect(m_chooseLocation, &QPushButton::clicked, this, &CreatePage::chooseLocationRequested);
    connect(m_openExisting, &QPushButton::clicked, this, &CreatePage::openExistingRequested);
    onInputChanged();
}

void CreatePage::setVaultPath(const QString& path) {
    m_path->setPath(path);
    onInputChanged(); // the file name is one of the words the meter counts against the password
}

QString CreatePage::vaultPath() const {
    return m_path->path();
}

void CreatePage::setBusy(bool busy) {
    m_busy = busy;
    m_password->setEnabled(!busy);
    m_confirm->setEnabled(!busy);
    m_chooseLocation->setEnabled(!busy);
    m_openExisting->setEnabled(!busy);
    m_busyBar->setVisible(busy);
    m_busyLabel->setVisible(busy);
    if (busy) {
        m_error->clearMessage();
    }
    onInputChanged();
}

void CreatePage::showError(const QString& message) {
    m_error->showMessage(MessageBanner::Kind::Error, message);
}

void CreatePage::reset() {
    m_password->clear();
    m_confirm->clear();
    m_error->clearMessage();
    m_password->setFocus();
}

crypto::SecureBuffer CreatePage::takePassword() {
    auto password = ui::takePassword(*m_password);
    m_confirm->clear();
    return password;
}

bool CreatePage::isAcceptable() const {
    const QString& password = m_password->text();
    return characterCount(password) >= kMinimumPasswordLength && password == m_confirm->text();
}

void CreatePage::onInputChanged() {
    const QString& password = m_password->text();
    const QString& confirm = m_confirm->text();
    const int length = characterCount(password);
    const auto strength =
        model::PasswordStrength::estimate(password, model::PasswordStrength::userWordsFor(vaultPath()));
    m_meter->setStrength(strength);
    if (password.isEmpty()) {
        m_hint->setText(tr("Use at least %1 characters. A few unrelated words make a strong password.")
                            .arg(kMinimumPasswordLength));
    } else if (length < kMinimumPasswordLength) {
        m_hint->setText(tr("Too short: %1 of at least %2 characters.").arg(length).arg(kMinimumPasswordLength));
    } else if (confirm.isEmpty()) {
        m_hint->setText(tr("Now type the same password again to confirm it."));
    } else if (password != confirm) {
        m_hint->setText(tr("The two passwords do not match."));
    } else if (strength.score < 2) {
        // Warned, not refused: the choice is the user's, but it should be an informed one.
        m_hint->setText(tr("The passwords match, but this one is easy to guess for anyone who gets a copy of "
                           "the vault file."));
    } else {
        m_hint->setText(tr("The passwords match."));
    }
    m_create->setEnabled(!m_busy && isAcceptable());
}

void CreatePage::onCreateClicked() {
    if (m_busy || !isAcceptable()) {
        return;
    }
    Q_EMIT createRequested();
}

} // namespace coffer::ui
