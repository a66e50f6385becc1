// SPDX-License-Identifier: Apache-2.0
#include "ui/ProjectTreeModel.h"

#include "ui/EnvironmentColour.h"
#include "ui/Icons.h"
#include "ui/Text.h"

namespace coffer::ui {

ProjectTreeModel::ProjectTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
    , m_projectIcon(icons::project())
    , m_environmentIcon(icons::environment())
    , m_lockIcon(icons::lock()) {}

model::Result<void> ProjectTreeModel::reload(model::Store& store) {
    auto projects = store.projects();
    if (!projects) {
        return std::unexpected(projects.error());
    }
    std::vector<ProjectNode> nodes;
    nodes.reserve(projects->size());
    for (auto& project : *projects) {
        auto environments = store.environments(project.id);
        if (!environments) {
            return std::unexpected(environments.error());
        }
        nodes.push_back({std::move(project), std::move(*environments)});
    }
    beginResetModel();
    m_projects = std::move(nodes);
    endResetModel();
    return {};
}

void ProjectTreeModel::clear() {
    beginResetModel();
    m_projects.clear();
    endResetModel();
}

bool ProjectTreeModel::isOwnIndex(const QModelIndex& index) const {
    return index.isValid() && index.model() == this;
}

int ProjectTreeModel::environmentCount() const noexcept {
    std::size_t count = 0;
    for (const auto& node : m_projects) {
        count += node.environments.size();
    }
    return static_cast<int>(count);
}

bool ProjectTreeModel::isEnvironment(const QModelIndex& index) const {
    return environment(index) != nullptr;
}

const model::Environment* ProjectTreeModel::environment(const QModelIndex& index) const {
    if (!isOwnIndex(index) || index.internalId() == kProjectId) {
        return nullptr;
    }
    return &m_projects[index.internalId() - 1].environments[static_cast<std::size_t>(index.row())];
}

const model::Project* ProjectTreeModel::project(const QModelIndex& index) const {
    if (!isOwnIndex(index)) {
        return nullptr;
    }
    const auto row = index.internalId() == kProjectId ? static_cast<std::size_t>(index.row()) : index.internalId() - 1;
    return &m_projects[row].project;
}

QModelIndex ProjectTreeModel::firstEnvironment() const {
    for (int row = 0; row < projectCount(); ++row) {
        if (!m_projects[static_cast<std::size_t>(row)].environments.empty()) {
            return index(0, 0, index(row, 0));
        }
    }
    return {};
}

QModelIndex ProjectTreeModel::findEnvironment(const QString& projectName, const QString& environmentName) const {
    for (int row = 0; row < projectCount(); ++row) {
        const auto& node = m_projects[static_cast<std::size_t>(row)];
        if (node.project.name != projectName) {
            continue;
        }
        for (int child = 0; child < static_cast<int>(node.environments.size()); ++child) {
            if (node.environments[static_cast<std::size_t>(child)].name == environmentName) {
                return index(child, 0, index(row, 0));
            }
        }
    }
    return {};
}

QModelIndex ProjectTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) {
        return {};
    }
    if (!parent.isValid()) {
        return createIndex(row, column, kProjectId);
    }
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex ProjectTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kProjectId) {
        return {};
    }
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kProjectId);
}

int ProjectTreeModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) {
        return projectCount();
    }
    if (parent.column() != 0 || parent.internalId() != kProjectId) {
        return 0;
    }
    return static_cast<int>(m_projects[static_cast<std::size_t>(parent.row())].environments.size());
}

int ProjectTreeModel::columnCount(const QModelIndex& /*parent*/) const {
    return 1;
}

QVariant ProjectTreeModel::data(const QModelIndex& index, int role) const {
    if (!isOwnIndex(index)) {
        return {};
    }
    if (index.internalId() == kProjectId) {
        return projectData(m_projects[static_cast<std::size_t>(index.row())], role);
    }
    const auto& node = m_projects[index.internalId() - 1];
    return environmentData(node, node.environments[static_cast<std::size_t>(index.row())], role);
}

QVariant ProjectTreeModel::projectData(const ProjectNode& node, int role) const {
    switch (role) {
    case Qt::DisplayRole:
        return node.project.name;
    case Qt::DecorationRole:
        return m_projectIcon;
    case Qt::ToolTipRole:
        return tr("Project %1: %2")
            .arg(node.project.name,
                 countText(static_cast<qint64>(node.environments.size()), tr("environment"), tr("environments")));
    case KindRole:
        return static_cast<int>(Kind::Project);
    case IdRole:
        return QVariant::fromValue<qint64>(node.project.id);
    case ProtectedRole:
        return false;
    case ProjectNameRole:
        return node.project.name;
    default:
        return {};
    }
}

QVariant ProjectTreeModel::environmentData(const ProjectNode& node, const model::Environment& environment,
                                           int role) const {
    switch (role) {
    case Qt::DisplayRole:
        return environment.name;
    case Qt::DecorationRole:
        return colours::chip(colours::environmentColour(environment), environment.isProtected);
    case Qt::ToolTipRole:
        return environment.isProtected ? tr("%1 / %2 (protected environment)").arg(node.project.name, environment.name)
                                       : tr("%1 / %2").arg(node.project.name, environment.name);
    case Qt::AccessibleDescriptionRole:
        return environment.isProtected ? tr("protected") : QString();
    case KindRole:
        return static_cast<int>(Kind::Environment);
    case IdRole:
        return QVariant::fromValue<qint64>(environment.id);
    case ProtectedRole:
        return environment.isProtected;
    case ProjectNameRole:
        return node.project.name;
    default:
        return {};
    }
}

QVariant ProjectTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        return tr("Projects");
    }
    return {};
}

Qt::ItemFlags ProjectTreeModel::flags(const QModelIndex& index) const {
    if (!isOwnIndex(index)) {
        return Qt::NoItemFlags;
    }
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalId() != kProjectId) {
        flags |= Qt::ItemNeverHasChildren;
    }
    return flags;
}

} // namespace coffer::ui
