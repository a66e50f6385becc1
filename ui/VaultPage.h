// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

#include <QWidget>

class QLabel;
class QModelIndex;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace coffer::model {
class Store;
}

namespace coffer::ui {

class ProjectTreeModel;
class SecretTableModel;

/// The unlocked vault, read-only: projects and environments on the left, the selected environment's secrets
/// in the centre, and a hint instead of empty views (empty vault, empty environment, nothing selected).
class VaultPage : public QWidget {
    Q_OBJECT
public:
    explicit VaultPage(QWidget* parent = nullptr);

    /// Shows `store`'s projects and selects the first environment. The store must outlive the page's use of
    /// it, until clear().
    [[nodiscard]] model::Result<void> load(model::Store& store);
    /// Forgets the store and everything shown (on lock).
    void clear();

    /// Selects an environment by name; false when there is no such environment.
    bool selectEnvironment(const QString& projectName, const QString& environmentName);

    [[nodiscard]] ProjectTreeModel* projectModel() const noexcept { return m_projects; }
    [[nodiscard]] SecretTableModel* secretModel() const noexcept { return m_secrets; }

private:
    void onCurrentChanged(const QModelIndex& current);
    void showSecretHint(const QString& text);
    [[nodiscard]] QWidget* createContent();
    [[nodiscard]] QWidget* createEmptyVaultHint();

    model::Store* m_store = nullptr;
    ProjectTreeModel* m_projects = nullptr;
    SecretTableModel* m_secrets = nullptr;
    QSortFilterProxyModel* m_sortedSecrets = nullptr;
    QStackedWidget* m_stack = nullptr;
    QWidget* m_content = nullptr;
    QWidget* m_emptyVault = nullptr;
    QTreeView* m_tree = nullptr;
    QLabel* m_scopeTitle = nullptr;
    QWidget* m_protectedBadge = nullptr;
    QLabel* m_scopeCount = nullptr;
    QStackedWidget* m_secretStack = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_secretHint = nullptr;
};

} // namespace coffer::ui
