// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;

namespace coffer::ui {

/// Confirming a member who accepted an invite: their fingerprint in large digit groups and the question "Does
/// NAME read you exactly these digits?" (on the phone, in person: a channel the server cannot touch). Confirm
/// adds them with the chosen role; "Skip verification…" does it without the comparison, after a warning, and
/// the member stays marked unverified.
class ConfirmMemberDialog : public QDialog {
    Q_OBJECT
public:
    ConfirmMemberDialog(const sync::MemberInfo& member, QWidget* parent = nullptr);

    [[nodiscard]] protocol::Role role() const;
    [[nodiscard]] bool skipVerification() const noexcept { return m_skip; }
    /// Confirm, or Skip verification after its warning (false when the warning was declined).
    void confirmMatch();
    bool skip();

private:
    bool m_skip = false;
    QString m_name;
    QComboBox* m_role = nullptr;
};

} // namespace coffer::ui
