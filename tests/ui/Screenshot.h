// SPDX-License-Identifier: Apache-2.0
#pragma once

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

/// A dark palette like a dark desktop theme's, for the dark screenshots.
inline QPalette darkPalette() {
    QPalette palette;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x21, 0x24);
    const QColor text(0xe8, 0xea, 0xed);
    const QColor disabledText(0x80, 0x84, 0x8a);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x42));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, Qt::white);
    palette.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    palette.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x47));
    palette.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x2a));
    palette.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    palette.setColor(QPalette::Shadow, Qt::black);
    palette.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xc4));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        palette.setColor(QPalette::Disabled, role, disabledText);
    }
    return palette;
}

} // namespace coffer::test
