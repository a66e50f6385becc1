// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ui/Settings.h"

#include <QPalette>

namespace coffer::ui::theme {

/// A dark palette like a dark desktop theme's.
[[nodiscard]] QPalette darkPalette();
/// A light palette, for a dark desktop where the user wants Coffer light.
[[nodiscard]] QPalette lightPalette();
/// Sets the application's palette: System gives back the palette the platform had before the first call
/// (Qt's platform palette is left alone), Light and Dark set ours.
void apply(Theme theme);

} // namespace coffer::ui::theme
