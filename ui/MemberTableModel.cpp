// SPDX-License-Identifier: Apache-2.0
#include "ui/MemberTableModel.h"

#include "ui/TeamText.h"

#include <QApplication>
#include <QPalette>

#include <algorithm>

namespace coffer::ui {
namespace {

int statusOrder(sync::MemberInfo::Status status) {
    // What needs an admin's attention first: pending and changed keys, then the team, then the removed.
    switch (status) {
    case sync::MemberInfo::Status::Pending:
        return 0;
    case sync::MemberInfo::Status::KeysChanged:
        return 1;
    case sync::MemberInfo::Status::Active:
        return 2;
    case sync::MemberInfo::Status::Removed:
        break;
    }
    return 3;
}

} // namespace

MemberTableModel::MemberTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void MemberTableModel::setMembers(std::vector<sync::MemberInfo> members) {
    beginResetModel();
    m_members = std::move(members);
    std::ranges::stable_sort(m_members, [](const auto& a, const auto& b) {
        const int left = statusOrder(a.status);
        const int right = statusOrder(b.status);
        return left != right ? left < right : a.name.localeAwareCompare(b.name) < 0;
    });
    endResetModel();
}

const sync::MemberInfo* MemberTableModel::member(int row) const {
    if (row < 0 || static_cast<std::size_t>(row) >= m_members.size()) {
        return nullptr;
    }
    return &m_members[static_cast<std::size_t>(row)];
}

int MemberTableModel::rowOf(const QString& name) const {
    const auto found = std::ranges::find_if(m_members, [&](const auto& member) { return member.name == name; });
    return found == m_members.end() ? -1 : static_cast<int>(found - m_members.begin());
}

int MemberTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_members.size());
}

int MemberTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MemberTableModel::data(const QModelIndex& index, int role) const {
    const sync::MemberInfo* entry = member(index.row());
    if (!index.isValid() || entry == nullptr) {
        return {};
    }
    switch (role) {
    case StatusRole:
        return static_cast<int>(entry->status);
    case VerifiedRole:
        return entry->verified;
    case Qt::FontRole:
        if (index.column() == FingerprintColumn) {
            return team::fingerprintFont();
        }
        return {};
    case Qt::ForegroundRole:
        if (entry->status == sync::MemberInfo::Status::Removed && index.column() != StatusColumn) {
            return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn) {
            return team::statusHint(entry->status);
        }
        if (index.column() == NameColumn && entry->status == sync::MemberInfo::Status::Active && !entry->verified &&
            !entry->isMe) {
            return tr("Confirmed without comparing fingerprints.");
        }
        return {};
    case Qt::AccessibleTextRole:
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case NameColumn: {
        QString name = entry->isMe ? tr("%1 (you)").arg(entry->name) : entry->name;
        if (entry->status == sync::MemberInfo::Status::Active && !entry->verified && !entry->isMe) {
            name += tr(" \u00b7 unverified");
        }
        return name;
    }
    case FingerprintColumn:
        return entry->fingerprint;
    case RoleColumn:
        return team::roleText(entry->role);
    case StatusColumn:
        return team::statusText(entry->status);
    default:
        return {};
    }
}

QVariant MemberTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Name");
    case FingerprintColumn:
        return tr("Fingerprint");
    case RoleColumn:
        return tr("Role");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

Qt::ItemFlags MemberTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace coffer::ui
