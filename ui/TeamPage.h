// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTableWidget;

namespace coffer::ui {

class ClipboardGuard;
class MemberTableModel;
class MessageBanner;
class TeamClient;
class TeamSetupForm;

/// Team › Team…: the vault's teams. Without one, the forms to create a team or to join one (TeamSetupForm).
/// With some: a team selector (when there are several) and Add Team…, the team's name, server and fingerprint, the
/// members (name, fingerprint, role, a status badge), Invite, Confirm, Role, Remove, Access…, Rotation List…, and
/// each shared environment with its environment fingerprint and sync state; an environment stopped by an integrity
/// error can be cleared there after reading what failed. Every call goes through the TeamClient's worker thread;
/// the page shows a busy line meanwhile. The actions on members and environments are in TeamPageActions.cpp.
class TeamPage : public QWidget {
    Q_OBJECT
public:
    enum class View { Locked, Loading, Setup, Team };

    explicit TeamPage(ClipboardGuard& clipboard, QWidget* parent = nullptr);

    /// The client of the open vault (nullptr on lock: the page forgets everything).
    void setClient(TeamClient* client);
    /// The name offered in the create and join forms.
    void setDefaultName(const QString& name);
    /// Reads the team, its members and shared environments again.
    void refresh();

    [[nodiscard]] View view() const noexcept { return m_view; }
    [[nodiscard]] bool isBusy() const noexcept { return m_busy > 0; }
    [[nodiscard]] const std::optional<sync::TeamSummary>& team() const noexcept { return m_team; }
    /// Every team of the vault, in the selector's order.
    [[nodiscard]] const std::vector<sync::TeamSummary>& teams() const noexcept { return m_teams; }
    /// Shows the team named `name` (reads it again); false when the vault has none of that name.
    bool selectTeam(const QString& name);
    [[nodiscard]] MemberTableModel* memberModel() const noexcept { return m_members; }
    [[nodiscard]] const std::vector<sync::SharedEnvironment>& sharedEnvironments() const noexcept {
        return m_environments;
    }
    /// The banner's text (errors and results).
    [[nodiscard]] QString message() const;
    /// Selects the member named `name`; false when there is none.
    bool selectMember(const QString& name);
    /// Selects the shared environment "project/environment"; false when there is none.
    bool selectEnvironment(const QString& scope);
    /// The sync state shown for each shared environment ("" or the integrity failure that stopped it).
    [[nodiscard]] const QStringList& environmentStatuses() const noexcept { return m_environmentStatus; }

    // The buttons' actions.
    void createTeam();
    void joinTeam();
    void invite();
    void confirmSelected();
    void removeSelected();
    /// Makes the selected member owner, admin or member (a signed roster event; never zero owners).
    void changeSelectedRole(protocol::Role role);
    /// Shows the selected environment's failed check and, when the user agrees, clears the stop so that the next
    /// sync retries it from the last verified state (the evidence stays).
    void clearSelectedStop();
    void openAccess();
    void shareProject();
    /// The create and join forms, also when the vault has teams already (Add Team…).
    void showSetup();

Q_SIGNALS:
    /// The team, its members or grants changed (the main window starts or nudges sync).
    void teamChanged();
    void rotationListRequested();
    void busyChanged(bool busy);

private:
    struct Snapshot;
    void setView(View view);
    void setBusy(bool busy);
    void apply(Snapshot snapshot);
    void updateButtons();
    void showError(const QString& text);
    void showInformation(const QString& text);
    [[nodiscard]] const sync::MemberInfo* selectedMember() const;
    [[nodiscard]] QString myFingerprint() const;
    [[nodiscard]] QWidget* createTeamView();
    [[nodiscard]] const sync::SharedEnvironment* selectedEnvironment() const;
    [[nodiscard]] QString selectedEnvironmentStatus() const;
    void showEnvironments(const QStringList& fingerprints);

    ClipboardGuard& m_clipboard;
    TeamClient* m_client = nullptr;
    View m_view = View::Locked;
    int m_busy = 0;
    std::optional<sync::TeamSummary> m_team;
    std::vector<sync::TeamSummary> m_teams;
    std::optional<protocol::TeamId> m_selectedTeam; ///< the team chosen in the selector (else the first)
    std::vector<sync::SharedEnvironment> m_environments;
    QStringList m_environmentStatus;
    std::vector<std::pair<std::int64_t, QString>> m_projects;

    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    TeamSetupForm* m_setup = nullptr;
    QWidget* m_teamView = nullptr;
    MessageBanner* m_banner = nullptr;
    QLabel* m_busyLine = nullptr;
    // Team
    QComboBox* m_teamSelector = nullptr;
    QLabel* m_teamSelectorLabel = nullptr;
    QPushButton* m_addTeam = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_server = nullptr;
    QLabel* m_fingerprint = nullptr;
    MemberTableModel* m_members = nullptr;
    QTableView* m_memberTable = nullptr;
    QPushButton* m_invite = nullptr;
    QPushButton* m_confirm = nullptr;
    QPushButton* m_role = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_access = nullptr;
    QPushButton* m_rotation = nullptr;
    QPushButton* m_share = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_clearStop = nullptr;
    QTableWidget* m_environmentTable = nullptr;
};

} // namespace coffer::ui
