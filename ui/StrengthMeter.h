// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/PasswordStrength.h"

#include <QWidget>

class QLabel;

namespace coffer::ui {

/// A password's strength at a glance: five coloured segments filled up to the score, the label ("Strong") and,
/// if asked, the entropy in bits, with one line of advice below. Colour is never the only signal: the label
/// says it in words, and the accessible description reads all of it. Holds no password, only its estimate.
class StrengthMeter : public QWidget {
    Q_OBJECT
public:
    explicit StrengthMeter(QWidget* parent = nullptr);

    /// Shows `strength`; an empty estimate (nothing typed) leaves the bar empty and shows only the advice.
    void setStrength(const model::PasswordStrength& strength);
    [[nodiscard]] const model::PasswordStrength& strength() const noexcept { return m_strength; }
    /// Whether the label adds "· 77.5 bits of entropy" (the generator, whose figure is exact).
    void setShowsBits(bool shows);

    /// The text beside the bar, as shown.
    [[nodiscard]] QString labelText() const;
    [[nodiscard]] QString hintText() const;

    /// The colour of `score` (0..4), readable on `background`.
    [[nodiscard]] static QColor scoreColour(int score, const QColor& background);

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();
    [[nodiscard]] QRect barRect() const;

    model::PasswordStrength m_strength;
    bool m_showsBits = false;
    QLabel* m_label = nullptr;
    QLabel* m_hint = nullptr;
};

} // namespace coffer::ui
