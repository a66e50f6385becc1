// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Generator.h"
#include "crypto/SecureBuffer.h"

#include <QDialog>

class QAction;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QSpinBox;

namespace coffer::ui {

class ClipboardGuard;
class StrengthMeter;

/// Makes random values: characters of chosen classes, EFF passphrases, hex, base64, base64url or a UUID
/// (crypto::generateValue). The value is shown, since the user is making it, in a field that cannot be
/// selected or copied from directly: Copy goes through the window's ClipboardGuard, Use hands it to the
/// secret being edited. The meter shows the exact entropy. Options (never values) are remembered through
/// GeneratorSettings.
class GeneratorDialog : public QDialog {
    Q_OBJECT
public:
    /// From Tools: Copy (through `clipboard`) and Close.
    explicit GeneratorDialog(ClipboardGuard& clipboard, QWidget* parent = nullptr);
    /// From the secret dialog: Use and Cancel; the accepted value is taken with takeValue().
    explicit GeneratorDialog(QWidget* parent = nullptr);
    ~GeneratorDialog() override;

    /// Adds "Password Generator…" (Ctrl+G) to `menu`; it opens the dialog over `window`, copying through
    /// `clipboard`.
    static QAction* addMenuAction(QMenu* menu, ClipboardGuard& clipboard, QWidget* window);

    [[nodiscard]] const crypto::GeneratorOptions& options() const noexcept { return m_options; }
    /// The current value in guarded memory; the dialog forgets it and empties its field.
    [[nodiscard]] crypto::SecureBuffer takeValue();

    /// Makes a new value with the current options.
    void regenerate();

private:
    void build();
    void loadOptions();
    void updateControls();
    void onModeChanged();
    void onCountChanged(int count);
    void onOptionToggled();
    void onCopyClicked();

    ClipboardGuard* m_clipboard = nullptr;
    crypto::GeneratorOptions m_options;
    crypto::SecureBuffer m_value;
    bool m_loading = false;

    QFormLayout* m_form = nullptr;
    QComboBox* m_mode = nullptr;
    QLabel* m_countLabel = nullptr;
    QWidget* m_countRow = nullptr;
    QSlider* m_countSlider = nullptr;
    QSpinBox* m_countSpin = nullptr;
    QWidget* m_classRow = nullptr;
    QCheckBox* m_lower = nullptr;
    QCheckBox* m_upper = nullptr;
    QCheckBox* m_digits = nullptr;
    QCheckBox* m_symbols = nullptr;
    QCheckBox* m_avoidLookAlikes = nullptr;
    QWidget* m_passphraseRow = nullptr;
    QComboBox* m_separator = nullptr;
    QCheckBox* m_capitalise = nullptr;
    QCheckBox* m_includeNumber = nullptr;
    QPlainTextEdit* m_valueView = nullptr;
    StrengthMeter* m_meter = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_regenerate = nullptr;
    QPushButton* m_copy = nullptr;
    QPushButton* m_use = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace coffer::ui
