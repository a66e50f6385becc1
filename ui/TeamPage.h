// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTableWidget;

namespace coffer::ui {

class ClipboardGuard;
class MemberTableModel;
class MessageBanner;
class TeamClient;

/// Team › Team…: the vault's team. Without one, the forms to create a team (server URL, team name, your name,
/// the operator's team code) or to join one (your name, the invite code); codes are typed in password fields.
/// With one: its name, server and fingerprint, the members (name, fingerprint, role, a status badge), Invite,
/// Confirm, Remove, Access…, Rotation List…, and each shared environment with its environment fingerprint.
/// Every call goes through the TeamClient's worker thread; the page shows a busy line meanwhile.
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
    [[nodiscard]] MemberTableModel* memberModel() const noexcept { return m_members; }
    [[nodiscard]] const std::vector<sync::SharedEnvironment>& sharedEnvironments() const noexcept {
        return m_environments;
    }
    /// The banner's text (errors and results).
    [[nodiscard]] QString message() const;
    /// Selects the member named `name`; false when there is none.
    bool selectMember(const QString& name);

    // The buttons' actions.
    void createTeam();
    void joinTeam();
    void invite();
    void confirmSelected();
    void removeSelected();
    void openAccess();
    void shareProject();

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
    [[nodiscard]] QWidget* createSetup();
    [[nodiscard]] QWidget* createTeamView();

    ClipboardGuard& m_clipboard;
    TeamClient* m_client = nullptr;
    View m_view = View::Locked;
    int m_busy = 0;
    std::optional<sync::TeamSummary> m_team;
    std::vector<sync::SharedEnvironment> m_environments;
    std::vector<std::pair<std::int64_t, QString>> m_projects;

    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QWidget* m_setup = nullptr;
    QWidget* m_teamView = nullptr;
    MessageBanner* m_banner = nullptr;
    QLabel* m_busyLine = nullptr;
    // Setup
    QLineEdit* m_serverUrl = nullptr;
    QLineEdit* m_teamName = nullptr;
    QLineEdit* m_createName = nullptr;
    QLineEdit* m_teamCode = nullptr;
    QPushButton* m_create = nullptr;
    QLineEdit* m_joinName = nullptr;
    QLineEdit* m_inviteCode = nullptr;
    QPushButton* m_join = nullptr;
    // Team
    QLabel* m_title = nullptr;
    QLabel* m_server = nullptr;
    QLabel* m_fingerprint = nullptr;
    MemberTableModel* m_members = nullptr;
    QTableView* m_memberTable = nullptr;
    QPushButton* m_invite = nullptr;
    QPushButton* m_confirm = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_access = nullptr;
    QPushButton* m_rotation = nullptr;
    QPushButton* m_share = nullptr;
    QPushButton* m_refresh = nullptr;
    QTableWidget* m_environmentTable = nullptr;
};

} // namespace coffer::ui
