// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/TeamService.h"

#include <QColor>
#include <QFont>
#include <QString>

#include <optional>

/// Words and looks shared by the team screens (Team page, access matrix, dialogs), so each says a role, an
/// access level or a member's status the same way.
namespace coffer::ui::team {

[[nodiscard]] QString roleText(std::optional<protocol::Role> role);
/// "None", "Read", "Write".
[[nodiscard]] QString accessText(std::optional<protocol::Access> access);
/// "Active", "Pending confirmation", "Keys changed — blocked", "Removed".
[[nodiscard]] QString statusText(sync::MemberInfo::Status status);
/// What the status means and what to do about it, for tooltips.
[[nodiscard]] QString statusHint(sync::MemberInfo::Status status);
/// The badge colour of a status: green, amber, red, grey.
[[nodiscard]] QColor statusColour(sync::MemberInfo::Status status);
/// A fixed-width font for fingerprints, `scale` times the default size.
[[nodiscard]] QFont fingerprintFont(qreal scale = 1.0);
/// The digit groups of a fingerprint, `perLine` groups to a line ("12345 67890 11111\n22222 …").
[[nodiscard]] QString fingerprintLines(const QString& fingerprint, int perLine);
/// "project/environment".
[[nodiscard]] QString scopeName(const QString& project, const QString& environment);

} // namespace coffer::ui::team
