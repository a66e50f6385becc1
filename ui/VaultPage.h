// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/Store.h"

#include <QWidget>

#include <vector>

class QLabel;
class QModelIndex;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace coffer::ui {

class ClipboardGuard;
class ProjectTreeModel;
class SearchView;
class SecretDetailPane;
class SecretTableModel;

/// The unlocked vault: projects and environments on the left, the selected environment's secrets in the centre,
/// the selected secret's details on the right, and a hint instead of empty views (empty vault, empty environment,
/// nothing selected).
class VaultPage : public QWidget {
    Q_OBJECT
public:
    /// Copies go through `clipboard`.
    explicit VaultPage(ClipboardGuard& clipboard, QWidget* parent = nullptr);

    /// Shows `store`'s projects and selects the first environment. The store must outlive the page's use of
    /// it, until clear().
    [[nodiscard]] model::Result<void> load(model::Store& store);
    /// Forgets the store and everything shown (on lock).
    void clear();

    /// Selects an environment by name; false when there is no such environment.
    bool selectEnvironment(const QString& projectName, const QString& environmentName);
    /// Selects a project by name; false when there is none.
    bool selectProject(const QString& projectName);
    /// Lists deleted secrets too (struck out), so their history can bring them back.
    void setShowDeleted(bool show);
    [[nodiscard]] bool showsDeleted() const noexcept { return m_showDeleted; }
    /// Selects a secret of the shown environment by name; false when there is none.
    bool selectSecret(const QString& name);
    /// Reads the shown environment's secrets again and selects `secretId` if it is still listed.
    void reloadSecrets(std::int64_t secretId);

    /// Focuses the search field and selects its text (Edit › Find).
    void focusSearch();
    [[nodiscard]] SearchView* searchView() const noexcept { return m_search; }

    /// The selected project (also when an environment of it is selected), environment and secret, or nullptr.
    /// While a search is shown: the selected match and where it lives (nullptr when no match is selected).
    [[nodiscard]] const model::Project* currentProject() const;
    [[nodiscard]] const model::Environment* currentEnvironment() const;
    [[nodiscard]] const model::SecretSummary* currentSecret() const;
    /// The selected secrets (the table allows several), in table order.
    [[nodiscard]] std::vector<model::SecretSummary> selectedSecrets() const;
    /// The tree of projects and environments (scope actions add their context menu and shortcuts to it).
    [[nodiscard]] QTreeView* projectTree() const noexcept { return m_tree; }

    [[nodiscard]] ProjectTreeModel* projectModel() const noexcept { return m_projects; }
    [[nodiscard]] SecretTableModel* secretModel() const noexcept { return m_secrets; }
    [[nodiscard]] SecretDetailPane* detailPane() const noexcept { return m_detail; }

Q_SIGNALS:
    /// The selected environment or secret changed (menus enable what applies).
    void selectionChanged();
    /// "New Project…" on the empty-vault hint was clicked.
    void newProjectRequested();

private:
    void onCurrentChanged(const QModelIndex& current);
    void onCurrentSecretChanged(const QModelIndex& current);
    void onSecretRestored(std::int64_t secretId);
    /// The Protected and Read-only badges beside the scope title (none for null).
    void showBadges(const model::Environment* environment);
    void showSecretHint(const QString& text);
    void setTabOrderFollowingLayout();
    void onSearchActiveChanged(bool active);
    void onSearchResultsChanged(int count);
    void onSearchCurrentChanged();
    void onSearchResultActivated(const QString& project, const QString& environment, std::int64_t secretId);
    [[nodiscard]] QModelIndex searchScope() const;
    [[nodiscard]] QWidget* createContent();
    [[nodiscard]] QWidget* createEmptyVaultHint();

    model::Store* m_store = nullptr;
    bool m_showDeleted = false;
    ProjectTreeModel* m_projects = nullptr;
    SecretTableModel* m_secrets = nullptr;
    QSortFilterProxyModel* m_sortedSecrets = nullptr;
    QStackedWidget* m_stack = nullptr;
    QWidget* m_content = nullptr;
    QWidget* m_emptyVault = nullptr;
    QTreeView* m_tree = nullptr;
    QLabel* m_scopeTitle = nullptr;
    QWidget* m_protectedBadge = nullptr;
    QLabel* m_readOnlyBadge = nullptr;
    QLabel* m_scopeCount = nullptr;
    QStackedWidget* m_secretStack = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_secretHint = nullptr;
    SecretDetailPane* m_detail = nullptr;
    SearchView* m_search = nullptr;
    QStackedWidget* m_centreStack = nullptr; ///< the environment's secrets (m_secretStack) or the search
    bool m_loading = false;                  ///< load() re-selects the environment: that keeps a search going
    // What the heading showed before a search, put back when it ends; the environment's table is only read
    // again when something changed during the search (ending a search is a keystroke too: it must be instant).
    QString m_titleBeforeSearch;
    QString m_countBeforeSearch;
    bool m_changedDuringSearch = false;
};

} // namespace coffer::ui
