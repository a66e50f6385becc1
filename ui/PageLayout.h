// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

class QFormLayout;
class QIcon;
class QLabel;
class QProgressBar;
class QWidget;

/// Building blocks shared by the Create and Unlock pages, so both look alike.
namespace coffer::ui::page {

/// The width of the centred column that holds a page's content.
inline constexpr int kCardWidth = 460;

/// A large, bold page title.
[[nodiscard]] QLabel* makeTitle(const QString& text, QWidget* parent);
/// A wrapped explanation in the palette's secondary text colour.
[[nodiscard]] QLabel* makeSubtitle(const QString& text, QWidget* parent);
/// `icon` as a fixed-size picture.
[[nodiscard]] QLabel* makeIconLabel(const QIcon& icon, int size, QWidget* parent);
/// An indeterminate progress bar, hidden until a slow step runs.
[[nodiscard]] QProgressBar* makeBusyBar(QWidget* parent);
/// A form layout with labels right-aligned beside their fields, the same on every platform style.
[[nodiscard]] QFormLayout* makeForm();
/// Places `card` in the middle of `page`, at kCardWidth, with space around it.
void centre(QWidget* page, QWidget* card);

} // namespace coffer::ui::page
