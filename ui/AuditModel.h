// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/Store.h"

#include <QAbstractTableModel>

#include <vector>

namespace coffer::ui {

/// The local audit log, newest first: when, who, what (in words), and which project, environment and secret.
/// Audit events never hold a value, so neither does this model.
class AuditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        WhenColumn,
        WhoColumn,
        ActionColumn,
        ProjectColumn,
        EnvironmentColumn,
        SecretColumn,
        DetailColumn,
        ColumnCount
    };
    enum Role {
        ActionRole = Qt::UserRole + 1, ///< QString, the recorded action ("reveal"), on every column
        SortRole,                      ///< what the column sorts by (When: the order events were recorded in)
    };

    /// At most this many events are read (the newest).
    static constexpr int kDefaultLimit = 5000;

    explicit AuditModel(QObject* parent = nullptr);

    /// Reads the newest `limit` events of `store`; on error the model keeps what it had.
    [[nodiscard]] model::Result<void> load(model::Store& store, int limit = kDefaultLimit);
    /// Forgets everything (on lock).
    void clear();

    /// The event at `row`, or nullptr when out of range.
    [[nodiscard]] const model::AuditEvent* event(int row) const;
    /// The distinct recorded actions, in the order of actionText()'s list, then unknown ones alphabetically.
    [[nodiscard]] QStringList actions() const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

    /// "Revealed", "Copied", "Added project", ... for a recorded action; an unknown one is shown as recorded.
    [[nodiscard]] static QString actionText(const QString& action);

private:
    [[nodiscard]] QVariant displayData(const model::AuditEvent& event, int column) const;

    std::vector<model::AuditEvent> m_events; // newest first
};

} // namespace coffer::ui
