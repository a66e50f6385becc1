// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"
#include "model/Store.h"

#include <QAbstractItemModel>
#include <QIcon>

#include <cstdint>
#include <vector>

namespace coffer::ui {

/// Projects (top level) and their environments (children) of an open vault, read from model::Store.
/// One column. Protected environments carry a lock icon, "protected" in their tooltip and ProtectedRole.
class ProjectTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum class Kind { Project, Environment };
    enum Role {
        KindRole = Qt::UserRole + 1, ///< Kind as int
        IdRole,                      ///< the project or environment id (qint64)
        ProtectedRole,               ///< bool; false for projects
        ProjectNameRole,             ///< the project's name, on both levels
    };

    explicit ProjectTreeModel(QObject* parent = nullptr);

    /// Reads all projects and environments; on error the model keeps what it had.
    [[nodiscard]] model::Result<void> reload(model::Store& store);
    /// Forgets everything (on lock).
    void clear();

    [[nodiscard]] int projectCount() const noexcept { return static_cast<int>(m_projects.size()); }
    [[nodiscard]] int environmentCount() const noexcept;
    [[nodiscard]] bool isEnvironment(const QModelIndex& index) const;
    /// The environment at `index`, or nullptr for a project or an invalid index.
    [[nodiscard]] const model::Environment* environment(const QModelIndex& index) const;
    /// The project at `index` or the project of the environment at `index`; nullptr when invalid.
    [[nodiscard]] const model::Project* project(const QModelIndex& index) const;
    /// The first environment in tree order, or an invalid index when there is none.
    [[nodiscard]] QModelIndex firstEnvironment() const;
    /// The environment `environmentName` of project `projectName`, or an invalid index.
    [[nodiscard]] QModelIndex findEnvironment(const QString& projectName, const QString& environmentName) const;

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct ProjectNode {
        model::Project project;
        std::vector<model::Environment> environments;
    };

    // internalId: 0 for a project, (project row + 1) for an environment of that project.
    static constexpr quintptr kProjectId = 0;

    [[nodiscard]] bool isOwnIndex(const QModelIndex& index) const;
    [[nodiscard]] QVariant projectData(const ProjectNode& node, int role) const;
    [[nodiscard]] QVariant environmentData(const ProjectNode& node, const model::Environment& environment,
                                           int role) const;

    std::vector<ProjectNode> m_projects;
    QIcon m_projectIcon;
    QIcon m_environmentIcon;
    QIcon m_lockIcon;
};

} // namespace coffer::ui
