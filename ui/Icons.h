// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QIcon>

/// The bundled icons (resources/icons), drawn for light and dark palettes alike.
namespace coffer::ui::icons {

[[nodiscard]] QIcon app();
[[nodiscard]] QIcon lock();
[[nodiscard]] QIcon project();
[[nodiscard]] QIcon environment();
[[nodiscard]] QIcon secret();
[[nodiscard]] QIcon warning();
[[nodiscard]] QIcon error();

} // namespace coffer::ui::icons
