// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace coffer::resources {

/// The resource path of a bundled icon, e.g. iconPath(u"lock") is ":/coffer/icons/lock.svg".
[[nodiscard]] QString iconPath(QStringView name);

} // namespace coffer::resources
