// SPDX-License-Identifier: Apache-2.0
#include "resources/Resources.h"

namespace coffer::resources {

QString iconPath(QStringView name) {
    QString path = QStringLiteral(":/coffer/icons/");
    path.append(name);
    path.append(QStringLiteral(".svg"));
    return path;
}

} // namespace coffer::resources
