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
    // One line buffer reused and one output grown in place: `ls` of 10,000 secrets is 50,000 cells.
    QString out;
    QString line;
    for (const auto& row : rows) {
        line.resize(0);
        for (qsizetype i = 0; i < row.size(); ++i) {
            line += row.at(i);
            if (i + 1 < row.size()) {
                line.resize(line.size() + widths.at(i) + 2 - row.at(i).size(), u' ');
            }
        }
        out += QStringView(line).trimmed();
        out += u'\n';
    }
    return out;
}

QString isoTime(const QDateTime& time) {
    if (!time.isValid()) {
        return {};
    }
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    if (date.year() < 1 || date.year() > 9999) {
        return utc.toString(Qt::ISODate);
    }
    // What toString(Qt::ISODate) gives, written by hand: Qt's goes through QString::asprintf, ~12,000
    // instructions a date, a third of `ls` through the agent at 10,000 secrets.
    const QTime clock = utc.time();
    char text[] = "0000-00-00T00:00:00Z";
    const auto put = [&text](int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10) {
            text[at + i] = static_cast<char>('0' + value % 10);
        }
    };
    put(0, date.year(), 4);
    put(5, date.month(), 2);
    put(8, date.day(), 2);
    put(11, clock.hour(), 2);
    put(14, clock.minute(), 2);
    put(17, clock.second(), 2);
    return QString::fromLatin1(text, sizeof text - 1);
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
