// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QPushButton>

namespace coffer::ui {

/// A flat push button drawn in the palette's link colour, for secondary actions ("Open another vault…").
/// The colour is read at paint time, so it follows palette changes (light and dark).
class LinkButton : public QPushButton {
    Q_OBJECT
public:
    explicit LinkButton(const QString& text, QWidget* parent = nullptr);

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace coffer::ui
