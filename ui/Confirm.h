// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <functional>

class QWidget;

/// Asking before an irreversible-looking step (delete, restore). Tests answer through a hook instead of a
/// modal dialog.
namespace coffer::ui::confirm {

using Handler = std::function<bool(QWidget* parent, const QString& title, const QString& text)>;

/// A modal question with `acceptText` on the default button; true when accepted.
[[nodiscard]] bool ask(QWidget* parent, const QString& title, const QString& text, const QString& acceptText);
/// A modal message about a failure; with a handler set, the handler is called and its answer ignored.
void inform(QWidget* parent, const QString& title, const QString& text);
/// Replaces the dialog (tests); an empty handler restores it. Returns the previous handler.
Handler setHandler(Handler handler);

} // namespace coffer::ui::confirm
