// SPDX-License-Identifier: Apache-2.0
#include "ui/Icons.h"

#include "resources/Resources.h"

namespace coffer::ui::icons {

QIcon app() {
    return QIcon(resources::iconPath(u"coffer"));
}

QIcon lock() {
    return QIcon(resources::iconPath(u"lock"));
}

QIcon project() {
    return QIcon(resources::iconPath(u"project"));
}

QIcon environment() {
    return QIcon(resources::iconPath(u"environment"));
}

QIcon secret() {
    return QIcon(resources::iconPath(u"secret"));
}

QIcon warning() {
    return QIcon(resources::iconPath(u"warning"));
}

QIcon error() {
    return QIcon(resources::iconPath(u"error"));
}

} // namespace coffer::ui::icons
