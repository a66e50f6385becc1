// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads the known-answer files in tests/data. Format: `key = value` lines, records separated by blank
// lines, lines starting with '#' are comments. Every record has a `name`; the other keys are declared by
// the caller as hex or decimal so that a typo in a vector fails loudly instead of decoding to garbage
// (QByteArray::fromHex silently skips bad characters).

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <span>

namespace coffer::test {

enum class Field { Hex, Number };

struct VectorRecord {
    QByteArray name;
    QHash<QString, QByteArray> bytes;
    QHash<QString, quint64> numbers;

    [[nodiscard]] QByteArray hex(const QString& key) const { return bytes.value(key); }
    [[nodiscard]] quint64 number(const QString& key) const { return numbers.value(key); }
};

struct VectorFile {
    QList<VectorRecord> records;
    QString error; ///< empty when every record parsed and had every declared field
};

namespace detail {

[[nodiscard]] inline bool strictHex(const QByteArray& text, QByteArray& out) {
    if (text.size() % 2 != 0) {
        return false;
    }
    for (const char c : text) {
        const bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!digit) {
            return false;
        }
    }
    out = QByteArray::fromHex(text);
    return true;
}

} // namespace detail

/// Reads `fileName` from COFFER_TEST_DATA_DIR; each record must carry exactly `name` and `fields`.
[[nodiscard]] inline VectorFile readVectorFile(const QString& fileName, const QHash<QString, Field>& fields) {
    VectorFile result;
    const QString path = QStringLiteral(COFFER_TEST_DATA_DIR "/") + fileName;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        result.error = QStringLiteral("cannot open %1").arg(path);
        return result;
    }

    VectorRecord current;
    int recordLine = 0;
    const auto finishRecord = [&]() -> bool {
        if (recordLine == 0) {
            return true;
        }
        const qsizetype present = current.bytes.size() + current.numbers.size();
        if (current.name.isEmpty() || present != fields.size()) {
            result.error = QStringLiteral("%1:%2: record lacks a name or one of its %3 fields")
                               .arg(path)
                               .arg(recordLine)
                               .arg(fields.size());
            return false;
        }
        result.records.append(current);
        current = {};
        recordLine = 0;
        return true;
    };

    int lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.startsWith('#')) {
            continue;
        }
        if (line.isEmpty()) {
            if (!finishRecord()) {
                return result;
            }
            continue;
        }
        const qsizetype equals = line.indexOf('=');
        if (equals < 0) {
            result.error = QStringLiteral("%1:%2: expected `key = value`").arg(path).arg(lineNumber);
            return result;
        }
        if (recordLine == 0) {
            recordLine = lineNumber;
        }
        const QString key = QString::fromUtf8(line.left(equals).trimmed());
        const QByteArray value = line.mid(equals + 1).trimmed();
        bool ok = true;
        if (key == u"name") {
            current.name = value;
        } else if (!fields.contains(key) || current.bytes.contains(key) || current.numbers.contains(key)) {
            ok = false;
        } else if (fields.value(key) == Field::Hex) {
            QByteArray decoded;
            ok = detail::strictHex(value, decoded);
            current.bytes.insert(key, decoded);
        } else {
            current.numbers.insert(key, value.toULongLong(&ok, 10));
        }
        if (!ok) {
            result.error = QStringLiteral("%1:%2: unexpected, repeated or malformed field `%3`")
                               .arg(path)
                               .arg(lineNumber)
                               .arg(key);
            return result;
        }
    }
    if (finishRecord() && result.records.isEmpty()) {
        result.error = QStringLiteral("%1: no records").arg(path);
    }
    return result;
}

/// Views a QByteArray as bytes for the crypto API.
[[nodiscard]] inline std::span<const std::byte> asSpan(const QByteArray& bytes) noexcept {
    return std::as_bytes(std::span<const char>(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

/// Copies bytes into a QByteArray so that QCOMPARE can print a mismatch (compare the .toHex()).
[[nodiscard]] inline QByteArray toByteArray(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())};
}

} // namespace coffer::test
