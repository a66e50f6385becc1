// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ui/Theme.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPalette>
#include <QSet>
#include <QTest>
#include <QWidget>

/// Screenshots for review and the README, shared by every test that renders a screen. Files go to
/// $COFFER_SCREENSHOT_DIR, else the build's screenshots/ folder (COFFER_SCREENSHOT_DEFAULT_DIR, set by
/// coffer_add_test for ui tests).
namespace coffer::test {

/// The folder screenshots go to (created).
inline QDir screenshotDir() {
    QString out = qEnvironmentVariable("COFFER_SCREENSHOT_DIR");
    if (out.isEmpty()) {
        out = QStringLiteral(COFFER_SCREENSHOT_DEFAULT_DIR);
    }
    QDir().mkpath(out);
    return QDir(out);
}

/// Grabs `widget` to NAME.png and checks that the file exists, has the widget's size and is not blank. Use with
/// QVERIFY(saveScreenshot(...)): false (with a warning) when any of that fails.
[[nodiscard]] inline bool saveScreenshot(QWidget& widget, const QString& name) {
    QCoreApplication::processEvents();
    const QString path = screenshotDir().filePath(name + QStringLiteral(".png"));
    QFile::remove(path);
    if (!widget.grab().toImage().save(path)) {
        qWarning("cannot write %s", qPrintable(path));
        return false;
    }
    const QImage image(path);
    // Under a scale factor (QT_SCALE_FACTOR=2) the image has device pixels: the widget's size times the ratio.
    if (image.isNull() || image.size() != widget.size() * widget.devicePixelRatio()) {
        qWarning("%s: unreadable or of the wrong size", qPrintable(path));
        return false;
    }
    // Not blank: a real screen has text, icons and frames, so many distinct colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3) {
            colours.insert(image.pixel(x, y));
        }
    }
    if (colours.size() < 16) {
        qWarning("%s looks blank", qPrintable(path));
        return false;
    }
    qInfo("wrote %s", qPrintable(path));
    return true;
}

/// The app's dark palette (Settings › Theme › Dark), for the dark screenshots.
[[nodiscard]] inline QPalette darkPalette() {
    return ui::theme::darkPalette();
}

} // namespace coffer::test
