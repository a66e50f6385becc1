// SPDX-License-Identifier: Apache-2.0
#include "ui/ShortcutText.h"

#include <QAction>
#include <QKeySequence>

namespace coffer::ui::shortcuts {
namespace {

constexpr auto kTracked = "cofferShortcutToolTip";

QString plainText(QString text) {
    // "&&" is a literal ampersand; a single '&' marks the mnemonic.
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    if (text.endsWith(QStringLiteral("\u2026"))) {
        text.chop(1);
    } else if (text.endsWith(QStringLiteral("..."))) {
        text.chop(3);
    }
    return text;
}

} // namespace

QString toolTipFor(const QAction& action) {
    const QString text = plainText(action.text());
    const QKeySequence shortcut = action.shortcut();
    if (shortcut.isEmpty()) {
        return text;
    }
    return QStringLiteral("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText));
}

void showInToolTip(QAction* action) {
    action->setToolTip(toolTipFor(*action));
    if (action->property(kTracked).toBool()) {
        return;
    }
    action->setProperty(kTracked, true);
    QObject::connect(action, &QAction::changed, action, [action] {
        const QString wanted = toolTipFor(*action);
        if (action->toolTip() != wanted) {
            action->setToolTip(wanted); // emits changed() once more, then matches
        }
    });
}

void showInToolTips(const QObject& root) {
    for (QAction* action : root.findChildren<QAction*>()) {
        if (!action->isSeparator() && !action->text().isEmpty()) {
            showInToolTip(action);
        }
    }
}

QAction* makeAction(QObject* parent, const QString& text, const char* objectName, const QKeySequence& shortcut,
                    const QString& statusTip) {
    auto* action = new QAction(text, parent);
    action->setObjectName(QString::fromLatin1(objectName));
    action->setShortcut(shortcut);
    action->setStatusTip(statusTip);
    showInToolTip(action);
    return action;
}

} // namespace coffer::ui::shortcuts
