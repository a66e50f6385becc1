// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/SafeFile.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <span>

namespace coffer::cli {

/// Writes bytes to a file descriptor unbuffered: model::writeAll(), shared with the safe file writer.
using model::writeAll;

/// Text for people on stdout, as UTF-8.
void printOut(const QString& text);
void printLine(const QString& line);

/// "coffer-cli: MESSAGE" on stderr, always one line.
void printError(const QString& message);

/// One compact JSON document on stdout, followed by a newline.
void printJson(const QJsonObject& object);

/// Aligned columns; the first row is the header. Each line ends with a newline.
[[nodiscard]] QString formatTable(const QList<QStringList>& rows);

/// UTC in ISO 8601 ("2024-05-01T12:00:00Z"), the form both text and JSON output use.
[[nodiscard]] QString isoTime(const QDateTime& time);

/// Wraps a paragraph at `width` columns, each line prefixed by `indent`.
[[nodiscard]] QString wrap(const QString& text, int width, const QString& indent = {});

} // namespace coffer::cli
