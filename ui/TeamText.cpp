// SPDX-License-Identifier: Apache-2.0
#include "ui/TeamText.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QStringList>

namespace coffer::ui::team {
namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("coffer::ui::team", text);
}

} // namespace

QString roleText(std::optional<protocol::Role> role) {
    if (!role) {
        return tr("\u2014");
    }
    switch (*role) {
    case protocol::Role::Owner:
        return tr("Owner");
    case protocol::Role::Admin:
        return tr("Admin");
    case protocol::Role::Member:
        break;
    }
    return tr("Member");
}

QString accessText(std::optional<protocol::Access> access) {
    if (!access) {
        return tr("None");
    }
    return *access == protocol::Access::Write ? tr("Write") : tr("Read");
}

QString statusText(sync::MemberInfo::Status status) {
    switch (status) {
    case sync::MemberInfo::Status::Active:
        return tr("Active");
    case sync::MemberInfo::Status::Pending:
        return tr("Pending confirmation");
    case sync::MemberInfo::Status::KeysChanged:
        return tr("Keys changed \u2014 blocked");
    case sync::MemberInfo::Status::Removed:
        break;
    }
    return tr("Removed");
}

QString statusHint(sync::MemberInfo::Status status) {
    switch (status) {
    case sync::MemberInfo::Status::Active:
        return tr("In the team; receives the keys of the environments granted to them.");
    case sync::MemberInfo::Status::Pending:
        return tr("Accepted an invite. Compare their fingerprint with them, then Confirm.");
    case sync::MemberInfo::Status::KeysChanged:
        return tr("Their keys are not the ones that were confirmed: nothing is shared with them until an admin "
                  "compares the new fingerprint and confirms again.");
    case sync::MemberInfo::Status::Removed:
        break;
    }
    return tr("No longer in the team; the keys they could read were replaced.");
}

QColor statusColour(sync::MemberInfo::Status status) {
    switch (status) {
    case sync::MemberInfo::Status::Active:
        return {46, 140, 87};
    case sync::MemberInfo::Status::Pending:
        return {201, 138, 20};
    case sync::MemberInfo::Status::KeysChanged:
        return {204, 55, 66};
    case sync::MemberInfo::Status::Removed:
        break;
    }
    return {128, 132, 138};
}

QFont fingerprintFont(qreal scale) {
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (scale != 1.0) {
        font.setPointSizeF(font.pointSizeF() * scale);
    }
    return font;
}

QString fingerprintLines(const QString& fingerprint, int perLine) {
    const QStringList groups = fingerprint.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList lines;
    for (qsizetype i = 0; i < groups.size(); i += perLine) {
        lines << groups.mid(i, perLine).join(QLatin1Char(' '));
    }
    return lines.join(QLatin1Char('\n'));
}

QString scopeName(const QString& project, const QString& environment) {
    return QStringLiteral("%1/%2").arg(project, environment);
}

} // namespace coffer::ui::team
