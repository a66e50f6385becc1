// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

class QAction;
class QKeySequence;
class QObject;

/// Shortcuts shown where people look for them: menus show them natively, tooltips get them appended.
namespace coffer::ui::shortcuts {

/// The action's text without its mnemonic marker and ellipsis, then its first shortcut in the platform's
/// notation in parentheses: "New Secret (Ctrl+N)". Just the text when it has no shortcut.
[[nodiscard]] QString toolTipFor(const QAction& action);
/// Sets the action's tooltip to toolTipFor(), and keeps it so when the text or shortcut changes.
void showInToolTip(QAction* action);
/// A menu action with its objectName (for tests), shortcut, status tip and a tooltip that names the shortcut.
[[nodiscard]] QAction* makeAction(QObject* parent, const QString& text, const char* objectName,
                                  const QKeySequence& shortcut, const QString& statusTip);
/// showInToolTip() for every QAction below `root` (a window: its menus and widgets).
void showInToolTips(const QObject& root);

} // namespace coffer::ui::shortcuts
