// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Generator.h"

class QSettings;

namespace coffer::ui {

/// The generator's last options in QSettings (group "generator"): mode, counts, classes, separator and the
/// passphrase switches. Never a generated value. What is read back is checked and brought into range, so a
/// hand-edited settings file cannot make the generator fail.
class GeneratorSettings {
public:
    /// The saved options, or the defaults where nothing (valid) was saved.
    [[nodiscard]] static crypto::GeneratorOptions load(QSettings& settings);
    [[nodiscard]] static crypto::GeneratorOptions load();
    static void save(QSettings& settings, const crypto::GeneratorOptions& options);
    static void save(const crypto::GeneratorOptions& options);
};

} // namespace coffer::ui
