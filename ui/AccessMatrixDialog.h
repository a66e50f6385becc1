// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QDialog>

#include <vector>

class QLabel;
class QPushButton;
class QTableView;

namespace coffer::ui {

class AccessMatrixModel;
class MessageBanner;

/// Team › Access…: members × shared environments with a Read and a Write toggle in each cell. Edits are only
/// collected; the list under the table says what will change, a revocation adds the warning that keys rotate,
/// and Apply (after one confirmation listing every change) asks for all of them at once (applyRequested: one
/// TeamService::applyAccess call, one signed batch). The caller runs it off the GUI thread and reports back
/// with setMatrix() (success) or showError().
class AccessMatrixDialog : public QDialog {
    Q_OBJECT
public:
    explicit AccessMatrixDialog(QWidget* parent = nullptr);

    void setMatrix(sync::AccessMatrix matrix);
    /// While the change is applied: everything disabled, a line says so.
    void setBusy(bool busy);
    void showError(const QString& message);
    void showInformation(const QString& message);

    [[nodiscard]] AccessMatrixModel* model() const noexcept { return m_model; }
    [[nodiscard]] QTableView* table() const noexcept { return m_table; }

    /// Applies the pending changes as applyRequested() would after the confirmation (tests and Apply).
    void apply();

Q_SIGNALS:
    void applyRequested(const std::vector<coffer::sync::AccessChange>& changes);

private:
    void onChangesChanged();

    AccessMatrixModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_changes = nullptr;
    MessageBanner* m_banner = nullptr;
    MessageBanner* m_rotateWarning = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_revert = nullptr;
    bool m_busy = false;
};

} // namespace coffer::ui
