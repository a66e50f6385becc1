// SPDX-License-Identifier: Apache-2.0
#include "ui/TeamPage.h"

#include "ui/AccessMatrixDialog.h"
#include "ui/Confirm.h"
#include "ui/ConfirmMemberDialog.h"
#include "ui/ExposureReportDialog.h"
#include "ui/Icons.h"
#include "ui/InviteDialog.h"
#include "ui/MemberTableModel.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/StatusBadgeDelegate.h"
#include "ui/TeamClient.h"
#include "ui/TeamText.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace coffer::ui {

struct TeamPage::Snapshot {
    std::optional<sync::TeamSummary> team;
    std::vector<sync::MemberInfo> members;
    QString membersError;
    std::vector<sync::SharedEnvironment> environments;
    QStringList environmentFingerprints;
    std::vector<std::pair<std::int64_t, QString>> projects;
};

namespace {

// A secret typed into a field, taken out of it: the field is emptied.
std::shared_ptr<crypto::SecureBuffer> takeSecret(QLineEdit* field) {
    const QByteArray utf8 = field->text().trimmed().toUtf8();
    field->clear();
    return std::make_shared<crypto::SecureBuffer>(
        crypto::SecureBuffer::copyOf(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
}

QLabel* makeSectionHeading(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

QPushButton* makeButton(const QString& text, const char* name, const QString& tip, QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setObjectName(QString::fromLatin1(name));
    button->setToolTip(tip);
    button->setAutoDefault(false);
    return button;
}

} // namespace

TeamPage::TeamPage(ClipboardGuard& clipboard, QWidget* parent)
    : QWidget(parent)
    , m_clipboard(clipboard)
    , m_members(new MemberTableModel(this)) {
    setObjectName(QStringLiteral("teamPage"));
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("teamBanner"));
    m_busyLine = new QLabel(tr("Talking to the team's server\u2026"), this);
    m_busyLine->setObjectName(QStringLiteral("teamBusyLine"));
    m_busyLine->setForegroundRole(QPalette::PlaceholderText);
    QSizePolicy keep = m_busyLine->sizePolicy();
    keep.setRetainSizeWhenHidden(true);
    m_busyLine->setSizePolicy(keep);
    m_busyLine->hide();

    m_placeholder = new QLabel(this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_setup = createSetup();
    m_teamView = createTeamView();
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_setup);
    m_stack->addWidget(m_teamView);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(8);
    layout->addWidget(m_banner);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_busyLine);
    setView(View::Locked);
}

QWidget* TeamPage::createSetup() {
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("teamSetup"));
    auto* card = new QWidget(page);
    auto* column = new QVBoxLayout(card);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(14);
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
    page::centre(page, card);
    card->setFixedWidth(page::kCardWidth + 80);

    connect(m_create, &QPushButton::clicked, this, &TeamPage::createTeam);
    connect(m_join, &QPushButton::clicked, this, &TeamPage::joinTeam);
    for (QLineEdit* field : {m_serverUrl, m_teamName, m_createName, m_teamCode, m_joinName, m_inviteCode}) {
        connect(field, &QLineEdit::textChanged, this, &TeamPage::updateButtons);
    }
    return page;
}

QWidget* TeamPage::createTeamView() {
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("teamView"));
    m_title = new QLabel(page);
    m_title->setObjectName(QStringLiteral("teamTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);
    m_server = new QLabel(page);
    m_server->setObjectName(QStringLiteral("teamServer"));
    m_server->setForegroundRole(QPalette::PlaceholderText);
    m_server->setTextFormat(Qt::PlainText);
    m_refresh = makeButton(tr("Re&fresh"), "teamRefreshButton", tr("Read the team from the server again"), page);
    auto* titleRow = new QHBoxLayout;
    auto* titleColumn = new QVBoxLayout;
    titleColumn->setSpacing(2);
    titleColumn->addWidget(m_title);
    titleColumn->addWidget(m_server);
    titleRow->addLayout(titleColumn, 1);
    titleRow->addWidget(m_refresh, 0, Qt::AlignTop);

    auto* fingerprintLabel = new QLabel(tr("Team fingerprint:"), page);
    m_fingerprint = new QLabel(page);
    m_fingerprint->setObjectName(QStringLiteral("teamFingerprint"));
    m_fingerprint->setFont(team::fingerprintFont(1.15));
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fingerprint->setToolTip(tr("Everyone in this team sees these digits; compare them when someone joins"));
    auto* fingerprintRow = new QHBoxLayout;
    fingerprintRow->addWidget(fingerprintLabel);
    fingerprintRow->addWidget(m_fingerprint, 1);

    m_memberTable = new QTableView(page);
    m_memberTable->setObjectName(QStringLiteral("teamMemberTable"));
    m_memberTable->setAccessibleName(tr("Team members"));
    m_memberTable->setModel(m_members);
    m_memberTable->setItemDelegateForColumn(MemberTableModel::StatusColumn, new StatusBadgeDelegate(m_memberTable));
    m_memberTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_memberTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_memberTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_memberTable->setAlternatingRowColors(true);
    m_memberTable->setShowGrid(false);
    m_memberTable->setWordWrap(false);
    m_memberTable->verticalHeader()->hide();
    m_memberTable->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_memberTable->horizontalHeader()->setHighlightSections(false);
    m_memberTable->horizontalHeader()->setStretchLastSection(true);

    m_invite = makeButton(tr("&Invite\u2026"), "teamInviteButton", tr("Make a one-time invite code"), page);
    m_confirm = makeButton(tr("&Confirm\u2026"), "teamConfirmButton",
                           tr("Compare the selected member's fingerprint with them and add them"), page);
    m_remove = makeButton(tr("Re&move\u2026"), "teamRemoveButton",
                          tr("Remove the selected member; the keys they could read are replaced"), page);
    m_access =
        makeButton(tr("&Access\u2026"), "teamAccessButton", tr("Who may read and write each shared environment"), page);
    m_rotation = makeButton(tr("Rotation &List\u2026"), "teamRotationButton",
                            tr("Secrets a removed member could read, until each gets a new value"), page);
    auto* memberButtons = new QHBoxLayout;
    memberButtons->addWidget(m_invite);
    memberButtons->addWidget(m_confirm);
    memberButtons->addWidget(m_remove);
    memberButtons->addStretch(1);
    memberButtons->addWidget(m_access);
    memberButtons->addWidget(m_rotation);

    m_share = makeButton(tr("&Share Project\u2026"), "teamShareButton",
                         tr("Share every environment of a project with the team"), page);
    auto* environmentHeading = new QHBoxLayout;
    environmentHeading->addWidget(makeSectionHeading(tr("Shared environments"), page), 1);
    environmentHeading->addWidget(m_share);
    m_environmentTable = new QTableWidget(0, 2, page);
    m_environmentTable->setObjectName(QStringLiteral("teamEnvironmentTable"));
    m_environmentTable->setAccessibleName(tr("Shared environments"));
    m_environmentTable->setHorizontalHeaderLabels({tr("Environment"), tr("Environment fingerprint")});
    m_environmentTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_environmentTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_environmentTable->setFocusPolicy(Qt::NoFocus);
    m_environmentTable->setShowGrid(false);
    m_environmentTable->setAlternatingRowColors(true);
    m_environmentTable->verticalHeader()->hide();
    m_environmentTable->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_environmentTable->horizontalHeader()->setStretchLastSection(true);
    m_environmentTable->horizontalHeader()->setHighlightSections(false);
    m_environmentTable->setToolTip(tr("A hash of the team's roster and the environment's log: a teammate who sees "
                                      "the same digits has the same members and the same history"));

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addLayout(titleRow);
    layout->addLayout(fingerprintRow);
    layout->addSpacing(6);
    layout->addWidget(makeSectionHeading(tr("Members"), page));
    layout->addWidget(m_memberTable, 3);
    layout->addLayout(memberButtons);
    layout->addSpacing(6);
    layout->addLayout(environmentHeading);
    layout->addWidget(m_environmentTable, 2);

    connect(m_refresh, &QPushButton::clicked, this, &TeamPage::refresh);
    connect(m_invite, &QPushButton::clicked, this, &TeamPage::invite);
    connect(m_confirm, &QPushButton::clicked, this, &TeamPage::confirmSelected);
    connect(m_remove, &QPushButton::clicked, this, &TeamPage::removeSelected);
    connect(m_access, &QPushButton::clicked, this, &TeamPage::openAccess);
    connect(m_rotation, &QPushButton::clicked, this, &TeamPage::rotationListRequested);
    connect(m_share, &QPushButton::clicked, this, &TeamPage::shareProject);
    connect(m_memberTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TeamPage::updateButtons);
    connect(m_memberTable, &QTableView::activated, this, [this] {
        if (m_confirm->isEnabled()) {
            confirmSelected();
        }
    });
    return page;
}

void TeamPage::setClient(TeamClient* client) {
    m_client = client;
    m_team.reset();
    m_members->setMembers({});
    m_environments.clear();
    m_environmentTable->setRowCount(0);
    m_banner->clearMessage();
    if (client == nullptr) {
        setView(View::Locked);
        return;
    }
    refresh();
}

void TeamPage::setDefaultName(const QString& name) {
    m_createName->setText(name);
    m_joinName->setText(name);
}

void TeamPage::setView(View view) {
    m_view = view;
    switch (view) {
    case View::Locked:
        m_placeholder->setText(tr("Unlock the vault to see its team."));
        m_stack->setCurrentWidget(m_placeholder);
        break;
    case View::Loading:
        m_placeholder->setText(tr("Reading the team\u2026"));
        m_stack->setCurrentWidget(m_placeholder);
        break;
    case View::Setup:
        m_stack->setCurrentWidget(m_setup);
        break;
    case View::Team:
        m_stack->setCurrentWidget(m_teamView);
        break;
    }
    updateButtons();
}

void TeamPage::setBusy(bool busy) {
    const bool was = isBusy();
    m_busy += busy ? 1 : -1;
    m_busyLine->setVisible(isBusy());
    if (was != isBusy()) {
        Q_EMIT busyChanged(isBusy());
    }
    updateButtons();
}

QString TeamPage::message() const {
    return m_banner->isVisible() ? m_banner->text() : QString();
}

void TeamPage::showError(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

void TeamPage::showInformation(const QString& text) {
    m_banner->showMessage(MessageBanner::Kind::Information, text);
}

void TeamPage::refresh() {
    if (m_client == nullptr) {
        return;
    }
    if (m_view == View::Locked) {
        setView(View::Loading);
    }
    setBusy(true);
    m_client->run<Snapshot>(
        this,
        [](TeamClient::Services& services) -> sync::Result<Snapshot> {
            Snapshot snapshot;
            if (auto projects = services.store.projects(); projects) {
                for (const auto& project : *projects) {
                    snapshot.projects.emplace_back(project.id, project.name);
                }
            }
            auto teams = services.team.teams();
            if (!teams) {
                return std::unexpected(teams.error());
            }
            if (teams->empty()) {
                return snapshot;
            }
            snapshot.team = teams->front();
            if (auto members = services.team.members(snapshot.team->team); members) {
                snapshot.members = std::move(*members);
            } else {
                snapshot.membersError = members.error().message;
            }
            if (auto shared = services.team.sharedEnvironments(snapshot.team->team); shared) {
                snapshot.environments = std::move(*shared);
                for (const auto& environment : snapshot.environments) {
                    auto fingerprint = services.engine.environmentFingerprint(environment.environmentId);
                    snapshot.environmentFingerprints << (fingerprint ? *fingerprint : QStringLiteral("\u2014"));
                }
            }
            return snapshot;
        },
        [this](sync::Result<Snapshot> snapshot) {
            setBusy(false);
            if (!snapshot) {
                if (m_view == View::Loading) {
                    setView(View::Setup);
                }
                showError(snapshot.error().message);
                return;
            }
            apply(std::move(*snapshot));
        });
}

void TeamPage::apply(Snapshot snapshot) {
    m_projects = std::move(snapshot.projects);
    m_team = std::move(snapshot.team);
    if (!m_team) {
        m_members->setMembers({});
        m_environments.clear();
        setView(View::Setup);
        return;
    }
    const QString selected = selectedMember() != nullptr ? selectedMember()->name : QString();
    m_title->setText(m_team->name);
    m_server->setText(tr("%1 \u00b7 your role: %2").arg(m_team->serverUrl, team::roleText(m_team->myRole)));
    m_fingerprint->setText(m_team->fingerprint);
    m_members->setMembers(std::move(snapshot.members));
    m_memberTable->resizeColumnsToContents();
    if (!selected.isEmpty()) {
        selectMember(selected);
    }
    m_environments = std::move(snapshot.environments);
    m_environmentTable->setRowCount(static_cast<int>(m_environments.size()));
    for (int row = 0; row < static_cast<int>(m_environments.size()); ++row) {
        const auto& environment = m_environments[static_cast<std::size_t>(row)];
        auto* name = new QTableWidgetItem(environment.isProtected ? icons::lock() : icons::environment(),
                                          team::scopeName(environment.project, environment.environment));
        auto* fingerprint = new QTableWidgetItem(snapshot.environmentFingerprints.value(row));
        fingerprint->setFont(team::fingerprintFont());
        m_environmentTable->setItem(row, 0, name);
        m_environmentTable->setItem(row, 1, fingerprint);
    }
    m_environmentTable->resizeColumnToContents(0);
    m_environmentTable->setColumnWidth(0, std::max(m_environmentTable->columnWidth(0) + 24, 180));
    if (!m_team->status.isEmpty()) {
        showError(m_team->status);
    } else if (!snapshot.membersError.isEmpty()) {
        showError(m_team->myRole ? snapshot.membersError
                                 : tr("Waiting for an admin to confirm you (%1). Read them your fingerprint; once "
                                      "they confirm, Refresh shows the team.")
                                       .arg(snapshot.membersError));
    } else if (m_banner->kind() == MessageBanner::Kind::Error) {
        m_banner->clearMessage();
    }
    setView(View::Team);
}

const sync::MemberInfo* TeamPage::selectedMember() const {
    const QModelIndexList rows = m_memberTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_members->member(rows.front().row());
}

bool TeamPage::selectMember(const QString& name) {
    const int row = m_members->rowOf(name);
    if (row < 0) {
        return false;
    }
    m_memberTable->selectRow(row);
    return true;
}

QString TeamPage::myFingerprint() const {
    for (const auto& member : m_members->members()) {
        if (member.isMe) {
            return member.fingerprint;
        }
    }
    return {};
}

void TeamPage::updateButtons() {
    const bool idle = !isBusy() && m_client != nullptr;
    m_create->setEnabled(idle && !m_serverUrl->text().trimmed().isEmpty() && !m_teamName->text().trimmed().isEmpty() &&
                         !m_createName->text().trimmed().isEmpty() && !m_teamCode->text().isEmpty());
    m_join->setEnabled(idle && !m_joinName->text().trimmed().isEmpty() && !m_inviteCode->text().isEmpty());

    const bool admin = m_team && m_team->myRole && protocol::isAdmin(*m_team->myRole);
    const sync::MemberInfo* member = selectedMember();
    using Status = sync::MemberInfo::Status;
    const bool confirmable =
        member != nullptr && (member->status == Status::Pending || member->status == Status::KeysChanged);
    const bool removable = member != nullptr && !member->isMe && member->status != Status::Removed;
    m_invite->setEnabled(idle && admin);
    m_confirm->setEnabled(idle && admin && confirmable);
    m_remove->setEnabled(idle && admin && removable);
    m_access->setEnabled(idle && admin);
    m_rotation->setEnabled(m_team.has_value());
    m_share->setEnabled(idle && admin && !m_projects.empty());
    m_refresh->setEnabled(idle);
    const QString needAdmin = tr("Only the team's owners and admins can do this");
    for (QPushButton* button : {m_invite, m_access, m_share}) {
        button->setStatusTip(admin ? QString() : needAdmin);
    }
}

void TeamPage::createTeam() {
    if (m_client == nullptr || isBusy() || !m_create->isEnabled()) {
        return;
    }
    const QString url = m_serverUrl->text().trimmed();
    const QString name = m_teamName->text().trimmed();
    const QString display = m_createName->text().trimmed();
    auto code = takeSecret(m_teamCode);
    m_banner->clearMessage();
    setBusy(true);
    m_client->run<sync::TeamSummary>(
        this,
        [url, name, display, code](TeamClient::Services& services) {
            return services.team.createTeam(url, name, display, *code);
        },
        [this](sync::Result<sync::TeamSummary> created) {
            setBusy(false);
            if (!created) {
                showError(created.error().message);
                return;
            }
            showInformation(
                tr("Team %1 created. Share a project with it, then invite your teammates.").arg(created->name));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::joinTeam() {
    if (m_client == nullptr || isBusy() || !m_join->isEnabled()) {
        return;
    }
    const QString display = m_joinName->text().trimmed();
    auto code = takeSecret(m_inviteCode);
    m_banner->clearMessage();
    setBusy(true);
    m_client->run<sync::JoinResult>(
        this, [display, code](TeamClient::Services& services) { return services.team.join(*code, display); },
        [this](sync::Result<sync::JoinResult> joined) {
            setBusy(false);
            if (!joined) {
                showError(joined.error().message);
                return;
            }
            showInformation(tr("You asked to join. Compare the team fingerprint with the admin who invited you:\n"
                               "%1\nThen read them your fingerprint, so they can confirm you:\n%2")
                                .arg(joined->teamFingerprint, joined->myFingerprint));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::invite() {
    if (m_client == nullptr || !m_team || isBusy()) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    setBusy(true);
    m_client->run<std::shared_ptr<crypto::SecureBuffer>>(
        this,
        [teamId](TeamClient::Services& services) -> sync::Result<std::shared_ptr<crypto::SecureBuffer>> {
            auto code = services.team.invite(teamId);
            if (!code) {
                return std::unexpected(code.error());
            }
            return std::make_shared<crypto::SecureBuffer>(std::move(*code));
        },
        [this](sync::Result<std::shared_ptr<crypto::SecureBuffer>> code) {
            setBusy(false);
            if (!code) {
                showError(code.error().message);
                return;
            }
            InviteDialog dialog(m_team ? m_team->name : QString(), **code, myFingerprint(), m_clipboard, this);
            (*code)->clear();
            dialog.exec();
        });
}

void TeamPage::confirmSelected() {
    const sync::MemberInfo* selected = selectedMember();
    if (m_client == nullptr || !m_team || selected == nullptr || isBusy()) {
        return;
    }
    const sync::MemberInfo member = *selected;
    ConfirmMemberDialog dialog(member, this);
    if (dialog.exec() != QDialog::Accepted || m_client == nullptr || !m_team) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    const protocol::Role role = dialog.role();
    const bool skip = dialog.skipVerification();
    setBusy(true);
    m_client->run<sync::MemberInfo>(
        this,
        [teamId, member, role, skip](TeamClient::Services& services) {
            return services.team.confirm(teamId, member.id, role, skip ? QString() : member.fingerprint, skip);
        },
        [this, skip](sync::Result<sync::MemberInfo> confirmed) {
            setBusy(false);
            if (!confirmed) {
                showError(confirmed.error().message);
                return;
            }
            showInformation(skip ? tr("%1 was added without verification.").arg(confirmed->name)
                                 : tr("%1 was confirmed. Give them access with Access\u2026").arg(confirmed->name));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::removeSelected() {
    const sync::MemberInfo* selected = selectedMember();
    if (m_client == nullptr || !m_team || selected == nullptr || isBusy()) {
        return;
    }
    const sync::MemberInfo member = *selected;
    if (!confirm::ask(this, tr("Remove %1").arg(member.name),
                      tr("Remove %1 from %2? Every environment they could read gets a new key, sealed to everyone "
                         "who stays. What they could read until now stays known to them: the secrets are listed "
                         "to rotate.")
                          .arg(member.name, m_team->name),
                      tr("Remove"))) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    setBusy(true);
    m_client->run<sync::ExposureReport>(
        this,
        [teamId, member](TeamClient::Services& services) { return services.team.removeMember(teamId, member.id); },
        [this](sync::Result<sync::ExposureReport> report) {
            setBusy(false);
            if (!report) {
                showError(report.error().message);
                return;
            }
            showInformation(tr("%1 was removed.").arg(report->memberName));
            Q_EMIT teamChanged();
            refresh();
            ExposureReportDialog dialog({*report}, this);
            connect(&dialog, &ExposureReportDialog::rotationListRequested, this, &TeamPage::rotationListRequested);
            dialog.exec();
        });
}

void TeamPage::openAccess() {
    if (m_client == nullptr || !m_team || isBusy()) {
        return;
    }
    auto* dialog = new AccessMatrixDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setBusy(true);
    const protocol::TeamId teamId = m_team->team;
    const auto load = [this, dialog, teamId] {
        m_client->run<sync::AccessMatrix>(
            dialog, [teamId](TeamClient::Services& services) { return services.team.accessMatrix(teamId); },
            [dialog](sync::Result<sync::AccessMatrix> matrix) {
                dialog->setBusy(false);
                if (!matrix) {
                    dialog->showError(matrix.error().message);
                    return;
                }
                dialog->setMatrix(std::move(*matrix));
            });
    };
    connect(dialog, &AccessMatrixDialog::applyRequested, this,
            [this, dialog, teamId, load](const std::vector<sync::AccessChange>& changes) {
                if (m_client == nullptr) {
                    return;
                }
                dialog->setBusy(true);
                m_client->run<std::vector<sync::ExposureReport>>(
                    dialog,
                    [teamId, changes](TeamClient::Services& services) {
                        return services.team.applyAccess(teamId, changes);
                    },
                    [this, dialog, load](sync::Result<std::vector<sync::ExposureReport>> reports) {
                        if (!reports) {
                            dialog->setBusy(false);
                            dialog->showError(reports.error().message);
                            return;
                        }
                        load();
                        dialog->showInformation(tr("Access changed."));
                        Q_EMIT teamChanged();
                        if (!reports->empty()) {
                            auto* report = new ExposureReportDialog(*reports, dialog);
                            report->setAttribute(Qt::WA_DeleteOnClose);
                            connect(report, &ExposureReportDialog::rotationListRequested, this,
                                    &TeamPage::rotationListRequested);
                            report->open();
                        }
                    });
            });
    dialog->open();
    load();
}

void TeamPage::shareProject() {
    if (m_client == nullptr || !m_team || isBusy() || m_projects.empty()) {
        return;
    }
    QStringList names;
    for (const auto& project : m_projects) {
        names << project.second;
    }
    bool ok = false;
    const QString chosen = QInputDialog::getItem(
        this, tr("Share Project"), tr("Share every environment of this project with %1:").arg(m_team->name), names, 0,
        false, &ok);
    const auto found = std::ranges::find_if(m_projects, [&](const auto& project) { return project.second == chosen; });
    if (!ok || found == m_projects.end() || m_client == nullptr || !m_team) {
        return;
    }
    const protocol::TeamId teamId = m_team->team;
    const std::int64_t projectId = found->first;
    setBusy(true);
    m_client->run<std::vector<sync::SharedEnvironment>>(
        this,
        [teamId, projectId](TeamClient::Services& services) { return services.team.shareProject(teamId, projectId); },
        [this, chosen](sync::Result<std::vector<sync::SharedEnvironment>> shared) {
            setBusy(false);
            if (!shared) {
                showError(shared.error().message);
                return;
            }
            showInformation(tr("%1 is shared with the team. Give members access with Access\u2026").arg(chosen));
            Q_EMIT teamChanged();
            refresh();
        });
}

} // namespace coffer::ui
