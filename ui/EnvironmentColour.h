// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

#include <span>

namespace coffer::model {
struct Environment;
}

/// The colour chip of an environment: a colour chosen for it (Store::setColour), or one derived from its name so
/// that dev, staging and prod look different from the start.
namespace coffer::ui::colours {

struct NamedColour {
    const char* name; ///< with a mnemonic, untranslated (tr() at the call site)
    const char* hex;  ///< "#rrggbb"
};

/// The palette offered in the Colour menu; readable on light and dark backgrounds.
[[nodiscard]] std::span<const NamedColour> palette();
/// The environment's chosen colour, or a palette colour picked by a stable hash of its name.
[[nodiscard]] QColor environmentColour(const model::Environment& environment);
/// A rounded chip of `colour`; a protected environment's chip carries the lock.
[[nodiscard]] QIcon chip(const QColor& colour, bool isProtected);

} // namespace coffer::ui::colours
