// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace coffer::ui {

class AuditModel;
class MessageBanner;
class VaultSession;

/// The open vault's local audit log in a table, newest first, with a filter that matches any column and a
/// choice of action. Not modal: it stays open beside the window and Refresh (F5) reads the log again. Locking
/// the vault empties and hides it.
class AuditDialog : public QDialog {
    Q_OBJECT
public:
    explicit AuditDialog(VaultSession& session, QWidget* parent = nullptr);

    /// Reads the log again from the open vault, keeping the filter.
    void refresh();
    /// Forgets every event shown and the filter (on lock).
    void clear();

    [[nodiscard]] AuditModel* auditModel() const noexcept { return m_model; }
    /// The rows shown, after filtering and sorting.
    [[nodiscard]] QSortFilterProxyModel* shownModel() const noexcept { return m_textFilter; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onFilterChanged();
    void onSessionLocked();
    void updateActions();
    void updateCount();
    void fitColumns();

    VaultSession& m_session;
    AuditModel* m_model = nullptr;
    QSortFilterProxyModel* m_actionFilter = nullptr;
    QSortFilterProxyModel* m_textFilter = nullptr;
    QLineEdit* m_filter = nullptr;
    QComboBox* m_action = nullptr;
    QPushButton* m_refresh = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_count = nullptr;
    MessageBanner* m_banner = nullptr;
};

} // namespace coffer::ui
