// SPDX-License-Identifier: Apache-2.0
#include "cli/Address.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

QString shapeOf(int depth) {
    switch (depth) {
    case 1:
        return u"PROJECT"_s;
    case 2:
        return u"PROJECT/ENV"_s;
    default:
        return u"PROJECT/ENV/NAME"_s;
    }
}

} // namespace

QString Address::text() const {
    QStringList parts{project};
    if (!environment.isEmpty()) {
        parts << environment;
    }
    if (!secret.isEmpty()) {
        parts << secret;
    }
    return parts.join(u'/');
}

Outcome<Address> parseAddress(const QString& text, int depth) {
    Q_ASSERT(depth >= 1 && depth <= 3);
    const QStringList parts = text.split(u'/');
    const bool anyEmpty = std::any_of(parts.cbegin(), parts.cend(), [](const QString& p) { return p.isEmpty(); });
    if (parts.size() != depth || anyEmpty) {
        return usageError(u"expected an address of the form %1 (%2 separated by '/')"_s.arg(
            shapeOf(depth), depth == 1 ? u"one name, no '/'"_s : u"%1 non-empty names"_s.arg(depth)));
    }
    Address address;
    address.project = parts.at(0);
    if (depth >= 2) {
        address.environment = parts.at(1);
    }
    if (depth == 3) {
        address.secret = parts.at(2);
    }
    return address;
}

Outcome<Address> parseScope(const QString& text) {
    const auto depth = static_cast<int>(text.count(u'/')) + 1;
    if (depth > 2) {
        return usageError(u"expected PROJECT or PROJECT/ENV; to see a secret's versions use: coffer-cli history "
                          u"PROJECT/ENV/NAME"_s);
    }
    return parseAddress(text, depth);
}

} // namespace coffer::cli
