// SPDX-License-Identifier: Apache-2.0
#include "ui/TeamSetupForm.h"

#include "ui/PageLayout.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace coffer::ui {

namespace {

// A secret typed into a field, taken out of it: the field is emptied.
std::shared_ptr<crypto::SecureBuffer> takeSecret(QLineEdit* field) {
    const QByteArray utf8 = field->text().trimmed().toUtf8();
    field->clear();
    return std::make_shared<crypto::SecureBuffer>(
        crypto::SecureBuffer::copyOf(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
}

QPushButton* makeButton(const QString& text, const char* name, const QString& tip, QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setObjectName(QString::fromLatin1(name));
    button->setToolTip(tip);
    button->setAutoDefault(false);
    return button;
}

} // namespace

TeamSetupForm::TeamSetupForm(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("teamSetup"));
    auto* card = new QWidget(this);
    auto* column = new QVBoxLayout(card);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(14);
    m_back =
        makeButton(tr("\u2190 &Back to the Team"), "teamSetupBackButton", tr("Show the vault's teams again"), card);
    m_back->setFlat(true);
    m_back->hide();
    column->addWidget(m_back, 0, Qt::AlignLeft);
    column->addWidget(page::makeTitle(tr("Share secrets with a team"), card));
    column->addWidget(page::makeSubtitle(tr("Values are encrypted on this device; the server only relays and stores "
                                            "what it cannot read. Create a team, or join one with an invite code."),
                                         card));

    auto* createBox = new QGroupBox(tr("Create a team"), card);
    auto* createForm = page::makeForm();
    m_serverUrl = new QLineEdit(createBox);
    m_serverUrl->setObjectName(QStringLiteral("teamServerUrlEdit"));
    m_serverUrl->setPlaceholderText(QStringLiteral("https://coffer.example.com"));
    m_teamName = new QLineEdit(createBox);
    m_teamName->setObjectName(QStringLiteral("teamNameEdit"));
    m_teamName->setPlaceholderText(tr("payments"));
    m_createName = new QLineEdit(createBox);
    m_createName->setObjectName(QStringLiteral("teamCreateDisplayNameEdit"));
    m_teamCode = new QLineEdit(createBox);
    m_teamCode->setObjectName(QStringLiteral("teamCodeEdit"));
    m_teamCode->setEchoMode(QLineEdit::Password);
    m_teamCode->setToolTip(tr("The code the server's operator made with coffer-server team-code"));
    createForm->addRow(tr("&Server URL:"), m_serverUrl);
    createForm->addRow(tr("&Team name:"), m_teamName);
    createForm->addRow(tr("Your &name:"), m_createName);
    createForm->addRow(tr("Team &code:"), m_teamCode);
    m_create = makeButton(tr("C&reate Team"), "teamCreateButton", tr("Create the team on the server"), createBox);
    auto* createLayout = new QVBoxLayout(createBox);
    createLayout->addLayout(createForm);
    createLayout->addWidget(m_create, 0, Qt::AlignRight);

    auto* joinBox = new QGroupBox(tr("Join a team"), card);
    auto* joinForm = page::makeForm();
    m_joinName = new QLineEdit(joinBox);
    m_joinName->setObjectName(QStringLiteral("teamJoinDisplayNameEdit"));
    m_inviteCode = new QLineEdit(joinBox);
    m_inviteCode->setObjectName(QStringLiteral("teamInviteCodeEdit"));
    m_inviteCode->setEchoMode(QLineEdit::Password);
    m_inviteCode->setPlaceholderText(QStringLiteral("coffer-invite-1:\u2026"));
    m_inviteCode->setToolTip(tr("The code an admin of the team sent you; it names the server"));
    joinForm->addRow(tr("Your na&me:"), m_joinName);
    joinForm->addRow(tr("&Invite code:"), m_inviteCode);
    m_join = makeButton(tr("&Join Team"), "teamJoinButton", tr("Ask to join; an admin confirms you"), joinBox);
    auto* joinLayout = new QVBoxLayout(joinBox);
    joinLayout->addLayout(joinForm);
    joinLayout->addWidget(m_join, 0, Qt::AlignRight);

    // Both forms' fields start at one line, under each other.
    int labelWidth = 0;
    QList<QWidget*> labels;
    for (QFormLayout* form : {createForm, joinForm}) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem* item = form->itemAt(row, QFormLayout::LabelRole); item != nullptr && item->widget()) {
                labels << item->widget();
                labelWidth = std::max(labelWidth, item->widget()->sizeHint().width());
            }
        }
    }
    for (QWidget* label : labels) {
        label->setMinimumWidth(labelWidth);
        if (auto* text = qobject_cast<QLabel*>(label); text != nullptr) {
            text->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        }
    }
    column->addWidget(createBox);
    column->addWidget(joinBox);
    page::centre(this, card);
    card->setFixedWidth(page::kCardWidth + 80);

    setFocusProxy(m_serverUrl); // the first field, as before the forms had a widget of their own
    connect(m_create, &QPushButton::clicked, this, &TeamSetupForm::createRequested);

    connect(m_join, &QPushButton::clicked, this, &TeamSetupForm::joinRequested);
    connect(m_back, &QPushButton::clicked, this, &TeamSetupForm::backRequested);
    for (QLineEdit* field : {m_serverUrl, m_teamName, m_createName, m_teamCode, m_joinName, m_inviteCode}) {
        connect(field, &QLineEdit::textChanged, this, &TeamSetupForm::edited);
    }
}

void TeamSetupForm::setDefaultName(const QString& name) {
    m_createName->setText(name);
    m_joinName->setText(name);
}

bool TeamSetupForm::canCreate() const {
    return !m_serverUrl->text().trimmed().isEmpty() && !m_teamName->text().trimmed().isEmpty() &&
           !m_createName->text().trimmed().isEmpty() && !m_teamCode->text().isEmpty();
}

bool TeamSetupForm::canJoin() const {
    return !m_joinName->text().trimmed().isEmpty() && !m_inviteCode->text().isEmpty();
}

void TeamSetupForm::updateButtons(bool idle) {
    m_create->setEnabled(idle && canCreate());
    m_join->setEnabled(idle && canJoin());
    m_back->setEnabled(idle);
}

void TeamSetupForm::setCanGoBack(bool canGoBack) {
    m_back->setVisible(canGoBack);
}

QString TeamSetupForm::serverUrl() const {
    return m_serverUrl->text().trimmed();
}

QString TeamSetupForm::teamName() const {
    return m_teamName->text().trimmed();
}

QString TeamSetupForm::createName() const {
    return m_createName->text().trimmed();
}

QString TeamSetupForm::joinName() const {
    return m_joinName->text().trimmed();
}

std::shared_ptr<crypto::SecureBuffer> TeamSetupForm::takeTeamCode() {
    return takeSecret(m_teamCode);
}

std::shared_ptr<crypto::SecureBuffer> TeamSetupForm::takeInviteCode() {
    return takeSecret(m_inviteCode);
}

} // namespace coffer::ui
