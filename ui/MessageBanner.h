// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;

namespace coffer::ui {

/// An inline message (error, warning or information) with an icon, on a softly tinted rounded panel.
/// Used instead of modal dialogs so a message stays next to what it is about. Hidden while empty.
class MessageBanner : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Error, Warning, Information };

    explicit MessageBanner(QWidget* parent = nullptr);

    void showMessage(Kind kind, const QString& text);
    /// Empties and hides the banner.
    void clearMessage();

    [[nodiscard]] Kind kind() const noexcept { return m_kind; }
    [[nodiscard]] QString text() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    Kind m_kind = Kind::Information;
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
};

} // namespace coffer::ui
