// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Store.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QMenu;
class QModelIndex;
class QPushButton;
class QTableView;

namespace coffer::ui {

class CompareModel;
class MessageBanner;
class VaultSession;

/// A window beside the main one (not modal) with one project's secret names × environments: which are missing,
/// equal to another environment or different, never a value. Activating a present cell (double-click, Enter)
/// asks to show that secret; on missing cells "Copy Here From" copies the secret (value, note, tags) from an
/// environment that has it. It reads the vault again whenever it becomes active, so edits made meanwhile show.
class CompareDialog : public QDialog {
    Q_OBJECT
public:
    /// Reads through `session`'s store while the vault is open.
    explicit CompareDialog(VaultSession& session, QWidget* parent = nullptr);

    /// Compares the environments of the project named `projectName` (the first project when it is unknown).
    void showProject(const QString& projectName);
    /// Reads the vault again, keeping the project, filter and selection.
    void refresh();
    /// Forgets everything shown (on lock).
    void clear();

    [[nodiscard]] CompareModel* model() const noexcept { return m_model; }
    [[nodiscard]] QString projectName() const;

Q_SIGNALS:
    /// A present cell was activated: show that secret.
    void secretActivated(const QString& project, const QString& environment, const QString& name);
    /// Secrets were copied into `environmentId` (the main window reloads).
    void secretsCopied(std::int64_t environmentId);

protected:
    void changeEvent(QEvent* event) override;

private:
    void onProjectChanged(int index);
    void onOnlyDifferencesToggled(bool only);
    void onActivated(const QModelIndex& index);
    void onSelectionChanged();
    void onCopyFromTriggered(int sourceColumn);
    void onContextMenuRequested(const QPoint& position);
    void reloadProjects();
    void updateSummary();
    /// The selected cells' column when they are all missing cells of one environment column, else 0.
    [[nodiscard]] int missingSelectionColumn() const;
    [[nodiscard]] QWidget* createLegend();

    VaultSession& m_session;
    std::vector<model::Project> m_projects;
    CompareModel* m_model = nullptr;
    QComboBox* m_project = nullptr;
    QLabel* m_summary = nullptr;
    MessageBanner* m_banner = nullptr;
    QTableView* m_table = nullptr;
    QCheckBox* m_onlyDifferences = nullptr;
    QPushButton* m_copyButton = nullptr;
    QMenu* m_copyMenu = nullptr;
    bool m_refreshing = false;
};

} // namespace coffer::ui
