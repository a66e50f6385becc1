// SPDX-License-Identifier: Apache-2.0
#include "agent/Wire.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace coffer::agent::wire {

void Message::add(const char* key, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    add(key, std::as_bytes(std::span(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
}

void Message::add(const char* key, std::span<const std::byte> bytes) {
    append(QByteArray(key), bytes);
}

void Message::append(QByteArray key, std::span<const std::byte> bytes) {
    reserve(m_used + bytes.size());
    if (!bytes.empty()) {
        std::memcpy(m_values.data() + m_used, bytes.data(), bytes.size());
    }
    m_fields.push_back(Field{std::move(key), m_used, bytes.size()});
    m_used += bytes.size();
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
    add(key, QString::number(number));
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
    std::vector<Value> values;
    for (const auto& field : m_fields) {
        if (field.key == key) {
            values.push_back(valueOf(field));
        }
    }
    return values;
}

QStringList Message::texts(const char* key) const {
    QStringList values;
    for (const auto value : all(key)) {
        values << QString::fromUtf8(value.view());
    }
    return values;
}

crypto::SecureBuffer Message::encode() const {
    std::vector<frame::FieldView> views;
    views.reserve(m_fields.size());
    for (const auto& field : m_fields) {
        views.push_back(frame::FieldView{
            std::string_view(field.key.constData(), static_cast<std::size_t>(field.key.size())), valueOf(field).bytes});
    }
    crypto::SecureBuffer out(frame::frameSize(views));
    frame::encodeFrame(views, std::span(out.data(), out.size()));
    return out;
}

std::expected<Message, AgentError> Message::decode(std::span<const std::byte> body) {
    Message message;
    message.reserve(body.size()); // the values fit in the body: one allocation
    auto decoded = frame::decodeBody(body, [&](std::string_view key, std::span<const std::byte> value) {
        message.append(QByteArray(key.data(), static_cast<qsizetype>(key.size())), value);
    });
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
