// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

namespace coffer::ui {

/// Shows a file path on one line, with the home folder as "~" and elided in the middle when space is short
/// (the file name stays visible). The full path is the tooltip.
class PathLabel : public QWidget {
    Q_OBJECT
public:
    explicit PathLabel(QWidget* parent = nullptr);

    void setPath(const QString& path);
    [[nodiscard]] const QString& path() const noexcept { return m_path; }
    /// The text as it reads before eliding ("~/…" for paths under the home folder).
    [[nodiscard]] const QString& displayText() const noexcept { return m_display; }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

    /// `path` with the home folder written as "~" and native separators.
    [[nodiscard]] static QString abbreviated(const QString& path);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString m_path;
    QString m_display;
};

} // namespace coffer::ui
