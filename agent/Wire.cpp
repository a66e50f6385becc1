// SPDX-License-Identifier: Apache-2.0
#include "agent/Wire.h"

#include <QStringEncoder>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <iterator>
#include <utility>
#include <vector>

namespace coffer::agent::wire {

void Message::add(const char* key, const QString& text) {
    // Encoded straight into the wiped buffer: no temporary (a reply of 10,000 rows has 70,000 fields).
    QStringEncoder utf8(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
    std::byte* start = grow(static_cast<std::size_t>(utf8.requiredSpace(text.size())));
    const char* end = utf8.appendToBuffer(reinterpret_cast<char*>(start), text);
    addField(key, static_cast<std::size_t>(end - reinterpret_cast<const char*>(start)));
}

void Message::add(const char* key, std::span<const std::byte> bytes) {
    append(key, bytes);
}

void Message::append(std::string_view key, std::span<const std::byte> bytes) {
    std::byte* start = grow(bytes.size());
    if (!bytes.empty()) {
        std::memcpy(start, bytes.data(), bytes.size());
    }
    addField(key, bytes.size());
}

std::byte* Message::grow(std::size_t bytes) {
    reserve(m_used + bytes);
    return m_values.data() + m_used;
}

void Message::addField(std::string_view key, std::size_t size) {
    m_fields.push_back(Field{std::string(key), m_used, size});
    m_used += size;
}

void Message::reserve(std::size_t bytes) {
    if (bytes <= m_values.size()) {
        return;
    }
    // Doubling keeps the copies linear in the message's size; the old buffer is wiped as it goes.
    crypto::SecureBuffer grown(std::max({bytes, m_values.size() * 2, std::size_t{256}}));
    if (m_used > 0) {
        std::memcpy(grown.data(), m_values.data(), m_used);
    }
    m_values = std::move(grown);
}

void Message::addNumber(const char* key, std::int64_t number) {
    char digits[24];
    const auto written = std::to_chars(std::begin(digits), std::end(digits), number);
    append(key, std::as_bytes(std::span(digits, static_cast<std::size_t>(written.ptr - digits))));
}

Value Message::valueOf(const Field& field) const noexcept {
    return Value{m_values.bytes().subspan(field.offset, field.size)};
}

std::optional<Value> Message::find(const char* key) const {
    for (const auto& field : m_fields) {
        if (field.key == key) {
            return valueOf(field);
        }
    }
    return std::nullopt;
}

std::optional<QString> Message::text(const char* key) const {
    const auto value = find(key);
    if (!value) {
        return std::nullopt;
    }
    return QString::fromUtf8(value->view());
}

QString Message::textOr(const char* key, const QString& fallback) const {
    return text(key).value_or(fallback);
}

std::optional<std::int64_t> Message::number(const char* key) const {
    const auto value = text(key);
    if (!value) {
        return std::nullopt;
    }
    bool ok = false;
    const qlonglong number = value->toLongLong(&ok);
    if (!ok) {
        return std::nullopt;
    }
    return number;
}

std::vector<Value> Message::all(const char* key) const {
    const std::string_view wanted(key); // measured once, not per field
    std::vector<Value> values;
    for (const auto& field : m_fields) {
        if (field.key == wanted) {
            values.push_back(valueOf(field));
        }
    }
    return values;
}

QStringList Message::texts(const char* key) const {
    const auto found = all(key);
    QStringList values;
    values.reserve(static_cast<qsizetype>(found.size()));
    for (const auto value : found) {
        values << QString::fromUtf8(value.view());
    }
    return values;
}

crypto::SecureBuffer Message::encode() const {
    std::vector<frame::FieldView> views;
    views.reserve(m_fields.size());
    for (const auto& field : m_fields) {
        views.push_back(frame::FieldView{field.key, valueOf(field).bytes});
    }
    crypto::SecureBuffer out(frame::frameSize(views));
    frame::encodeFrame(views, std::span(out.data(), out.size()));
    return out;
}

std::expected<Message, AgentError> Message::decode(std::span<const std::byte> body) {
    Message message;
    message.reserve(body.size()); // the values fit in the body: one allocation
    message.m_fields.reserve(frame::claimedFieldCount(body));
    auto decoded = frame::decodeBody(
        body, [&](std::string_view key, std::span<const std::byte> value) { message.append(key, value); });
    if (!decoded) {
        return std::unexpected(decoded.error());
    }
    return message;
}

std::expected<void, AgentError> writeFrame(int fd, const Message& message, std::chrono::milliseconds timeout) {
    const auto encoded = message.encode();
    return frame::writeBytes(fd, encoded.bytes(), timeout);
}

std::expected<Message, AgentError> readFrame(int fd, std::size_t maxBytes, std::chrono::milliseconds timeout) {
    crypto::SecureBuffer body;
    auto read = frame::readBody(fd, maxBytes, timeout, [&](std::size_t size) {
        body = crypto::SecureBuffer(size);
        return std::span(body.data(), body.size());
    });
    if (!read) {
        return std::unexpected(read.error());
    }
    return Message::decode(body.bytes());
}

} // namespace coffer::agent::wire
