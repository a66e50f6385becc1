// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <vector>

class QLabel;
class QStackedWidget;
class QTableView;
class QWidget;

namespace coffer::ui {

/// The preview of an import or export: one row per name with what happens to it ("Added", "Changed", ...).
/// Holds names only, never a value: there is no value column at all.
class DotenvChangeModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ChangeColumn, ColumnCount };
    /// How a change is coloured: new (green), different (amber), gone (red), or nothing happens (grey).
    enum class Tone { New, Different, Gone, Same };
    enum Role {
        ToneRole = Qt::UserRole + 1, ///< the row's Tone as int, on every column
    };

    struct Row {
        QString name;
        QString change; ///< "Added", "Changed", "Unchanged", "Removed", "Kept"
        Tone tone = Tone::Same;
    };

    explicit DotenvChangeModel(QObject* parent = nullptr);

    void setRows(std::vector<Row> rows);
    void clear();
    [[nodiscard]] const std::vector<Row>& rows() const noexcept { return m_rows; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

    /// The preview the import and export dialogs show: a hint in `stack` until there is something to show, then
    /// the read-only `table` of names and changes (no grid, no selection, names stretched), and a `summary` line
    /// under it. objectNames: PREFIXPreviewTable, PREFIXHint, PREFIXSummaryLabel.
    struct Preview {
        DotenvChangeModel* model = nullptr;
        QTableView* table = nullptr;
        QLabel* hint = nullptr;
        QStackedWidget* stack = nullptr;
        QLabel* summary = nullptr;
    };
    /// "project › environment" for the dialogs' From/Into line, saying when a protected environment will ask first.
    [[nodiscard]] static QString scopeText(const QString& project, const QString& environment, bool isProtected);
    [[nodiscard]] static Preview makePreview(const QString& prefix, const QString& hint, const QString& accessibleName,
                                             QWidget* parent);

private:
    std::vector<Row> m_rows;
};

} // namespace coffer::ui
