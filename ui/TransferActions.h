// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ui/TransferDialog.h"

#include <QObject>

class QAction;
class QMenu;
class QWidget;

namespace coffer::ui {

class VaultPage;
class VaultSession;

/// Duplicate… (the current secret), Copy To… and Move To… (every selected secret) into another environment of
/// any project, through TransferDialog and model::SecretTransfer: all or nothing, protected environments asked
/// about first, a move leaving restorable Deleted versions behind.
class TransferActions : public QObject {
    Q_OBJECT
public:
    /// Dialogs open over `window`.
    TransferActions(VaultSession& session, VaultPage& page, QWidget* window);

    /// Appends the actions to `menu` (the Edit menu), with their shortcuts active in the whole window.
    void addTo(QMenu* menu);
    void updateEnabled();

Q_SIGNALS:
    /// Something in the vault changed (the status bar counts follow).
    void vaultChanged();

private:
    void run(TransferDialog::Mode mode);
    void report(TransferDialog::Mode mode, const QString& target, const model::TransferResult& result);

    VaultSession& m_session;
    VaultPage& m_page;
    QWidget* m_window = nullptr;
    QAction* m_duplicate = nullptr;
    QAction* m_copyTo = nullptr;
    QAction* m_moveTo = nullptr;
};

} // namespace coffer::ui
