// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

#include <cstdint>

class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;

namespace coffer::model {
class Store;
struct ScopedSecret;
} // namespace coffer::model

namespace coffer::ui {

class SearchResultModel;

/// Search across the whole vault: the search field (objectName "searchEdit"; the page places it above its table)
/// and, while it holds text, the matches of every project and environment ("searchTable"), or a hint when
/// nothing matches ("searchHint"). Each keystroke filters an in-memory index (SearchResultModel); the index is
/// read once per load() and again only when something marked it stale and a search needs it.
///
/// Keys in the field: Down moves to the matches, Enter opens the selected (or first) match, Escape ends the
/// search. Enter or a double click on a match opens it too (resultActivated()).
class SearchView : public QWidget {
    Q_OBJECT
public:
    explicit SearchView(QWidget* parent = nullptr);

    [[nodiscard]] QLineEdit* field() const noexcept { return m_field; }
    [[nodiscard]] QTableView* table() const noexcept { return m_table; }
    [[nodiscard]] SearchResultModel* model() const noexcept { return m_model; }

    /// Searches `store` from now on (it must outlive the view's use of it, until clear()) and reads its index.
    void load(model::Store& store);
    /// The vault changed: the index is read again now when a search is shown (keeping `secretId` selected when
    /// it still matches), else before the next search.
    void refresh(std::int64_t secretId = 0);
    /// Forgets the store, the query and the index (on lock).
    void clear();

    /// True while the field holds a query (not only white space): the page shows the matches then.
    [[nodiscard]] bool isActive() const noexcept { return m_active; }
    /// Focuses the field and selects its text (Edit › Find).
    void focusField();
    /// Empties the field, which ends the search.
    void clearQuery();
    /// The selected match, or nullptr.
    [[nodiscard]] const model::ScopedSecret* currentSecret() const;

Q_SIGNALS:
    /// A search started (the field got text) or ended.
    void activeChanged(bool active);
    /// The list of matches changed (a keystroke, a reload); `count` matches are listed.
    void resultsChanged(int count);
    /// The selected match changed (or none is selected any more).
    void currentResultChanged();
    /// Enter or a double click on a match: open it in its environment.
    void resultActivated(const QString& project, const QString& environment, std::int64_t secretId);
    /// Escape ended the search from the keyboard.
    void dismissed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onTextChanged(const QString& text);
    void onActivated(const QModelIndex& index);
    void reloadIndex();
    void selectRow(int row);
    void showResults();

    model::Store* m_store = nullptr;
    bool m_active = false;
    bool m_stale = false;
    SearchResultModel* m_model = nullptr;
    QLineEdit* m_field = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_hint = nullptr;
};

} // namespace coffer::ui
