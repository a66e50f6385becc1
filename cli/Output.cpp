// SPDX-License-Identifier: Apache-2.0
#include "cli/Output.h"

#include <QJsonDocument>

#include <algorithm>
#include <cerrno>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

void writeText(int fd, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    [[maybe_unused]] const bool ok =
        writeAll(fd, std::as_bytes(std::span<const char>(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
}

} // namespace

void printOut(const QString& text) {
    writeText(STDOUT_FILENO, text);
}

void printLine(const QString& line) {
    writeText(STDOUT_FILENO, line + u'\n');
}

void printError(const QString& message) {
    QString line = message.simplified();
    writeText(STDERR_FILENO, u"coffer-cli: "_s + line + u'\n');
}

void printJson(const QJsonObject& object) {
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    [[maybe_unused]] const bool ok = writeAll(
        STDOUT_FILENO, std::as_bytes(std::span<const char>(json.constData(), static_cast<std::size_t>(json.size()))));
}

QString formatTable(const QList<QStringList>& rows) {
    QList<qsizetype> widths;
    for (const auto& row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) {
                widths.append(0);
            }
            widths[i] = std::max(widths[i], row.at(i).size());
        }
    }
    QString out;
    for (const auto& row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            const bool last = i + 1 == row.size();
            line += last ? row.at(i) : row.at(i).leftJustified(widths.at(i) + 2);
        }
        out += line.trimmed() + u'\n';
    }
    return out;
}

QString isoTime(const QDateTime& time) {
    return time.toUTC().toString(Qt::ISODate);
}

QString wrap(const QString& text, int width, const QString& indent) {
    QStringList lines;
    QString line;
    const auto words = text.split(u' ', Qt::SkipEmptyParts);
    for (const auto& word : words) {
        if (!line.isEmpty() && indent.size() + line.size() + 1 + word.size() > width) {
            lines << indent + line;
            line.clear();
        }
        line += line.isEmpty() ? word : u' ' + word;
    }
    if (!line.isEmpty()) {
        lines << indent + line;
    }
    return lines.join(u'\n');
}

} // namespace coffer::cli
