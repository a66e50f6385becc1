// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <QWidget>

#include <memory>

class QLineEdit;
class QPushButton;

namespace coffer::ui {

/// The Team page's forms to create a team (server URL, team name, your name, the operator's team code) or to join
/// one (your name, the invite code). Codes are typed in password fields and emptied when taken. The page runs the
/// calls: this widget only holds the fields and says when a button was pressed. With a team already in the vault,
/// a Back button returns to it.
class TeamSetupForm : public QWidget {
    Q_OBJECT
public:
    explicit TeamSetupForm(QWidget* parent = nullptr);

    /// The name offered in both forms.
    void setDefaultName(const QString& name);
    /// Enables the buttons whose fields are filled, when `idle`.
    void updateButtons(bool idle);
    /// Shows Back (the vault has a team to go back to).
    void setCanGoBack(bool canGoBack);

    [[nodiscard]] QString serverUrl() const;
    [[nodiscard]] QString teamName() const;
    [[nodiscard]] QString createName() const;
    [[nodiscard]] QString joinName() const;
    [[nodiscard]] bool canCreate() const;
    [[nodiscard]] bool canJoin() const;
    /// The typed team code or invite code, taken out of its field (the field is emptied).
    [[nodiscard]] std::shared_ptr<crypto::SecureBuffer> takeTeamCode();
    [[nodiscard]] std::shared_ptr<crypto::SecureBuffer> takeInviteCode();

Q_SIGNALS:
    void createRequested();
    void joinRequested();
    void backRequested();
    /// A field changed (the page updates the buttons).
    void edited();

private:
    QLineEdit* m_serverUrl = nullptr;
    QLineEdit* m_teamName = nullptr;
    QLineEdit* m_createName = nullptr;
    QLineEdit* m_teamCode = nullptr;
    QPushButton* m_create = nullptr;
    QLineEdit* m_joinName = nullptr;
    QLineEdit* m_inviteCode = nullptr;
    QPushButton* m_join = nullptr;
    QPushButton* m_back = nullptr;
};

} // namespace coffer::ui
