// SPDX-License-Identifier: Apache-2.0
#include "ui/TeamPage.h"

#include "ui/Icons.h"
#include "ui/MemberTableModel.h"
#include "ui/MessageBanner.h"
#include "ui/PageLayout.h"
#include "ui/StatusBadgeDelegate.h"
#include "ui/TeamClient.h"
#include "ui/TeamSetupForm.h"
#include "ui/TeamText.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace coffer::ui {

struct TeamPage::Snapshot {
    std::vector<sync::TeamSummary> teams;
    std::optional<sync::TeamSummary> team;
    std::vector<sync::MemberInfo> members;
    QString membersError;
    std::vector<sync::SharedEnvironment> environments;
    QStringList environmentFingerprints;
    QStringList environmentStatus; ///< "" or the integrity failure that stopped it
    std::vector<std::pair<std::int64_t, QString>> projects;
};

namespace {

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
    m_setup = new TeamSetupForm(this);
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
    connect(m_setup, &TeamSetupForm::createRequested, this, &TeamPage::createTeam);
    connect(m_setup, &TeamSetupForm::joinRequested, this, &TeamPage::joinTeam);
    connect(m_setup, &TeamSetupForm::edited, this, &TeamPage::updateButtons);
    connect(m_setup, &TeamSetupForm::backRequested, this, [this] {
        if (m_team) {
            setView(View::Team);
        }
    });
    setView(View::Locked);
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
    m_teamSelector = new QComboBox(page);
    m_teamSelector->setObjectName(QStringLiteral("teamSelector"));
    m_teamSelector->setAccessibleName(tr("Team"));
    m_teamSelector->setToolTip(tr("This vault belongs to several teams: choose the one to show"));
    m_teamSelector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_teamSelector->hide();
    m_teamSelectorLabel = new QLabel(tr("&Team:"), page);
    m_teamSelectorLabel->setBuddy(m_teamSelector);
    // As tall as the selector, its text centred: on the title row everything hangs from the top.
    m_teamSelectorLabel->setMinimumHeight(m_teamSelector->sizeHint().height());
    m_teamSelectorLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_teamSelectorLabel->hide();
    m_addTeam = makeButton(tr("A&dd Team…"), "teamAddButton", tr("Create or join another team"), page);
    auto* titleRow = new QHBoxLayout;
    auto* titleColumn = new QVBoxLayout;
    titleColumn->setSpacing(2);
    titleColumn->addWidget(m_title);
    titleColumn->addWidget(m_server);
    titleRow->addLayout(titleColumn, 1);
    titleRow->addWidget(m_teamSelectorLabel, 0, Qt::AlignTop | Qt::AlignRight);
    titleRow->addWidget(m_teamSelector, 0, Qt::AlignTop);
    titleRow->addWidget(m_addTeam, 0, Qt::AlignTop);
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
    m_role = makeButton(tr("R&ole"), "teamRoleButton", tr("Make the selected member an owner, admin or member"), page);
    auto* roles = new QMenu(m_role);
    roles->setObjectName(QStringLiteral("teamRoleMenu"));
    const std::pair<protocol::Role, const char*> roleActions[] = {{protocol::Role::Owner, "teamRoleOwnerAction"},
                                                                  {protocol::Role::Admin, "teamRoleAdminAction"},
                                                                  {protocol::Role::Member, "teamRoleMemberAction"}};
    for (const auto& [role, name] : roleActions) {
        QAction* action = roles->addAction(team::roleText(role));
        action->setObjectName(QString::fromLatin1(name));
        connect(action, &QAction::triggered, this, [this, role] { changeSelectedRole(role); });
    }
    m_role->setMenu(roles);
    m_remove = makeButton(tr("Re&move\u2026"), "teamRemoveButton",
                          tr("Remove the selected member; the keys they could read are replaced"), page);
    m_access =
        makeButton(tr("&Access\u2026"), "teamAccessButton", tr("Who may read and write each shared environment"), page);
    m_rotation = makeButton(tr("Rotation &List\u2026"), "teamRotationButton",
                            tr("Secrets a removed member could read, until each gets a new value"), page);
    auto* memberButtons = new QHBoxLayout;
    memberButtons->addWidget(m_invite);
    memberButtons->addWidget(m_confirm);
    memberButtons->addWidget(m_role);
    memberButtons->addWidget(m_remove);
    memberButtons->addStretch(1);
    memberButtons->addWidget(m_access);
    memberButtons->addWidget(m_rotation);

    m_share = makeButton(tr("&Share Project\u2026"), "teamShareButton",
                         tr("Share every environment of a project with the team"), page);
    m_clearStop = makeButton(tr("C&lear Stop\u2026"), "teamClearStopButton",
                             tr("After reading what failed, let the selected environment sync again"), page);
    auto* environmentHeading = new QHBoxLayout;
    environmentHeading->addWidget(makeSectionHeading(tr("Shared environments"), page), 1);
    environmentHeading->addWidget(m_clearStop);
    environmentHeading->addWidget(m_share);
    m_environmentTable = new QTableWidget(0, 3, page);
    m_environmentTable->setObjectName(QStringLiteral("teamEnvironmentTable"));
    m_environmentTable->setAccessibleName(tr("Shared environments"));
    m_environmentTable->setHorizontalHeaderLabels({tr("Environment"), tr("Environment fingerprint"), tr("Sync")});
    m_environmentTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_environmentTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_environmentTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_environmentTable->setWordWrap(false);
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
    connect(m_clearStop, &QPushButton::clicked, this, &TeamPage::clearSelectedStop);
    connect(m_addTeam, &QPushButton::clicked, this, &TeamPage::showSetup);
    connect(m_teamSelector, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < static_cast<int>(m_teams.size())) {
            m_selectedTeam = m_teams[static_cast<std::size_t>(index)].team;
            refresh();
        }
    });
    connect(m_environmentTable, &QTableWidget::itemSelectionChanged, this, &TeamPage::updateButtons);
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
    m_teams.clear();
    m_selectedTeam.reset();
    m_environments.clear();
    m_environmentStatus.clear();
    m_environmentTable->setRowCount(0);
    m_banner->clearMessage();
    if (client == nullptr) {
        setView(View::Locked);
        return;
    }
    refresh();
}

void TeamPage::setDefaultName(const QString& name) {
    m_setup->setDefaultName(name);
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
        m_setup->setCanGoBack(m_team.has_value());
        m_stack->setCurrentWidget(m_setup);
        m_setup->setFocus();
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
        [selected = m_selectedTeam](TeamClient::Services& services) -> sync::Result<Snapshot> {
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
            snapshot.teams = *teams;
            const auto chosen = std::ranges::find_if(
                *teams, [&](const sync::TeamSummary& team) { return selected && team.team == *selected; });
            snapshot.team = chosen != teams->end() ? *chosen : teams->front();
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
                    auto status = services.engine.integrityStatus(environment.environmentId);
                    snapshot.environmentStatus << (status ? *status : status.error().message);
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
    m_teams = std::move(snapshot.teams);
    if (!m_team) {
        m_members->setMembers({});
        m_environments.clear();
        m_environmentStatus.clear();
        setView(View::Setup);
        return;
    }
    m_selectedTeam = m_team->team;
    m_teamSelector->clear();
    for (const auto& team : m_teams) {
        m_teamSelector->addItem(team.name);
        if (team.team == m_team->team) {
            m_teamSelector->setCurrentIndex(m_teamSelector->count() - 1);
        }
    }
    m_teamSelector->setVisible(m_teams.size() > 1);
    m_teamSelectorLabel->setVisible(m_teams.size() > 1);
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
    m_environmentStatus = std::move(snapshot.environmentStatus);
    showEnvironments(snapshot.environmentFingerprints);
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

void TeamPage::showEnvironments(const QStringList& fingerprints) {
    const QString selected = selectedEnvironment() != nullptr
                                 ? team::scopeName(selectedEnvironment()->project, selectedEnvironment()->environment)
                                 : QString();
    m_environmentTable->setRowCount(static_cast<int>(m_environments.size()));
    for (int row = 0; row < static_cast<int>(m_environments.size()); ++row) {
        const auto& environment = m_environments[static_cast<std::size_t>(row)];
        auto* name = new QTableWidgetItem(environment.isProtected ? icons::lock() : icons::environment(),
                                          team::scopeName(environment.project, environment.environment));
        auto* fingerprint = new QTableWidgetItem(fingerprints.value(row));
        fingerprint->setFont(team::fingerprintFont());
        const QString status = m_environmentStatus.value(row);
        auto* state = new QTableWidgetItem(status.isEmpty() ? tr("OK") : tr("Stopped: integrity error"));
        if (!status.isEmpty()) {
            state->setForeground(team::statusColour(sync::MemberInfo::Status::KeysChanged));
            state->setToolTip(status);
        }
        m_environmentTable->setItem(row, 0, name);
        m_environmentTable->setItem(row, 1, fingerprint);
        m_environmentTable->setItem(row, 2, state);
    }
    m_environmentTable->resizeColumnToContents(0);
    m_environmentTable->setColumnWidth(0, std::max(m_environmentTable->columnWidth(0) + 24, 180));
    m_environmentTable->resizeColumnToContents(1);
    if (!selected.isEmpty()) {
        selectEnvironment(selected);
    }
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

bool TeamPage::selectEnvironment(const QString& scope) {
    for (int row = 0; row < static_cast<int>(m_environments.size()); ++row) {
        const auto& environment = m_environments[static_cast<std::size_t>(row)];
        if (team::scopeName(environment.project, environment.environment) == scope) {
            m_environmentTable->selectRow(row);
            return true;
        }
    }
    return false;
}

const sync::SharedEnvironment* TeamPage::selectedEnvironment() const {
    const QModelIndexList rows = m_environmentTable->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.front().row() >= static_cast<int>(m_environments.size())) {
        return nullptr;
    }
    return &m_environments[static_cast<std::size_t>(rows.front().row())];
}

QString TeamPage::selectedEnvironmentStatus() const {
    const QModelIndexList rows = m_environmentTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_environmentStatus.value(rows.front().row());
}

bool TeamPage::selectTeam(const QString& name) {
    const auto found = std::ranges::find_if(m_teams, [&](const sync::TeamSummary& team) { return team.name == name; });
    if (found == m_teams.end()) {
        return false;
    }
    m_selectedTeam = found->team;
    refresh();
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
    m_setup->updateButtons(idle);

    const bool admin = m_team && m_team->myRole && protocol::isAdmin(*m_team->myRole);
    const sync::MemberInfo* member = selectedMember();
    using Status = sync::MemberInfo::Status;
    const bool confirmable =
        member != nullptr && (member->status == Status::Pending || member->status == Status::KeysChanged);
    const bool removable = member != nullptr && !member->isMe && member->status != Status::Removed;
    m_invite->setEnabled(idle && admin);
    m_confirm->setEnabled(idle && admin && confirmable);
    m_remove->setEnabled(idle && admin && removable);
    m_role->setEnabled(idle && admin && member != nullptr && member->status == Status::Active);
    m_clearStop->setEnabled(idle && !selectedEnvironmentStatus().isEmpty());
    m_addTeam->setEnabled(idle);
    m_teamSelector->setEnabled(idle);
    m_access->setEnabled(idle && admin);
    m_rotation->setEnabled(m_team.has_value());
    m_share->setEnabled(idle && admin && !m_projects.empty());
    m_refresh->setEnabled(idle);
    const QString needAdmin = tr("Only the team's owners and admins can do this");
    for (QPushButton* button : {m_invite, m_access, m_share, m_role}) {
        button->setStatusTip(admin ? QString() : needAdmin);
    }
}

void TeamPage::createTeam() {
    if (m_client == nullptr || isBusy() || !m_setup->canCreate()) {
        return;
    }
    const QString url = m_setup->serverUrl();
    const QString name = m_setup->teamName();
    const QString display = m_setup->createName();
    auto code = m_setup->takeTeamCode();
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
            m_selectedTeam = created->team;
            showInformation(
                tr("Team %1 created. Share a project with it, then invite your teammates.").arg(created->name));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::joinTeam() {
    if (m_client == nullptr || isBusy() || !m_setup->canJoin()) {
        return;
    }
    const QString display = m_setup->joinName();
    auto code = m_setup->takeInviteCode();
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
            m_selectedTeam = joined->team;
            showInformation(tr("You asked to join. Compare the team fingerprint with the admin who invited you:\n"
                               "%1\nThen read them your fingerprint, so they can confirm you:\n%2")
                                .arg(joined->teamFingerprint, joined->myFingerprint));
            Q_EMIT teamChanged();
            refresh();
        });
}

void TeamPage::showSetup() {
    if (m_client == nullptr || isBusy()) {
        return;
    }
    m_banner->clearMessage();
    setView(View::Setup);
}

} // namespace coffer::ui
