// SPDX-License-Identifier: Apache-2.0
#include "agent/Wire.h"

#include <vector>

namespace coffer::agent::wire {

void Message::add(const char* key, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    add(key, std::as_bytes(std::span(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
}

void Message::add(const char* key, std::span<const std::byte> bytes) {
    m_fields.push_back(Field{QByteArray(key), crypto::SecureBuffer::copyOf(bytes)});
}

void Message::addNumber(const char* key, std::int64_t number) {
    add(key, QString::number(number));
}

const crypto::SecureBuffer* Message::find(const char* key) const {
    for (const auto& field : m_fields) {
        if (field.key == key) {
            return &field.value;
        }
    }
    return nullptr;
}

std::optional<QString> Message::text(const char* key) const {
    const auto* value = find(key);
    if (value == nullptr) {
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

std::vector<const crypto::SecureBuffer*> Message::all(const char* key) const {
    std::vector<const crypto::SecureBuffer*> values;
    for (const auto& field : m_fields) {
        if (field.key == key) {
            values.push_back(&field.value);
        }
    }
    return values;
}

QStringList Message::texts(const char* key) const {
    QStringList values;
    for (const auto* value : all(key)) {
        values << QString::fromUtf8(value->view());
    }
    return values;
}

crypto::SecureBuffer Message::encode() const {
    std::vector<frame::FieldView> views;
    views.reserve(m_fields.size());
    for (const auto& field : m_fields) {
        views.push_back(frame::FieldView{
            std::string_view(field.key.constData(), static_cast<std::size_t>(field.key.size())), field.value.bytes()});
    }
    crypto::SecureBuffer out(frame::frameSize(views));
    frame::encodeFrame(views, std::span(out.data(), out.size()));
    return out;
}

std::expected<Message, AgentError> Message::decode(std::span<const std::byte> body) {
    Message message;
    auto decoded = frame::decodeBody(body, [&](std::string_view key, std::span<const std::byte> value) {
        message.m_fields.push_back(
            Field{QByteArray(key.data(), static_cast<qsizetype>(key.size())), crypto::SecureBuffer::copyOf(value)});
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
