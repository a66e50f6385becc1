// SPDX-License-Identifier: Apache-2.0
#include "agent/Wire.h"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace coffer::agent::wire {

namespace {

using Clock = std::chrono::steady_clock;

void putU32(std::byte* out, std::uint32_t value) {
    out[0] = std::byte(value >> 24);
    out[1] = std::byte(value >> 16);
    out[2] = std::byte(value >> 8);
    out[3] = std::byte(value);
}

std::uint32_t getU32(const std::byte* in) {
    return (std::to_integer<std::uint32_t>(in[0]) << 24) | (std::to_integer<std::uint32_t>(in[1]) << 16) |
           (std::to_integer<std::uint32_t>(in[2]) << 8) | std::to_integer<std::uint32_t>(in[3]);
}

int remainingMs(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

/// Waits for `events` on `fd` until the deadline: false on timeout.
bool waitFor(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd entry{fd, events, 0};
        const int ready = ::poll(&entry, 1, remainingMs(deadline));
        if (ready > 0) {
            return true;
        }
        if (ready == 0) {
            return false;
        }
        if (errno != EINTR) {
            return true; // let the read or write report the error
        }
    }
}

std::expected<void, AgentError> readExactly(int fd, std::byte* out, std::size_t size, Clock::time_point deadline,
                                            bool first) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t got = ::recv(fd, out + done, size - done, MSG_DONTWAIT);
        if (got > 0) {
            done += static_cast<std::size_t>(got);
            continue;
        }
        if (got == 0) {
            return std::unexpected(first && done == 0 ? AgentError::NotRunning : AgentError::Malformed);
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return std::unexpected(first && done == 0 ? AgentError::NotRunning : AgentError::Malformed);
        }
        if (!waitFor(fd, POLLIN, deadline)) {
            return std::unexpected(AgentError::Timeout);
        }
    }
    return {};
}

} // namespace

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
    std::size_t size = 4 + 4 + 4;
    for (const auto& field : m_fields) {
        size += 2 + static_cast<std::size_t>(field.key.size()) + 4 + field.value.size();
    }
    crypto::SecureBuffer frame(size);
    std::byte* out = frame.data();
    putU32(out, static_cast<std::uint32_t>(size - 4));
    putU32(out + 4, kProtocolVersion);
    putU32(out + 8, static_cast<std::uint32_t>(m_fields.size()));
    out += 12;
    for (const auto& field : m_fields) {
        const auto keySize = static_cast<std::size_t>(field.key.size());
        out[0] = std::byte(keySize >> 8);
        out[1] = std::byte(keySize);
        std::memcpy(out + 2, field.key.constData(), keySize);
        out += 2 + keySize;
        putU32(out, static_cast<std::uint32_t>(field.value.size()));
        if (field.value.size() > 0) {
            std::memcpy(out + 4, field.value.data(), field.value.size());
        }
        out += 4 + field.value.size();
    }
    return frame;
}

std::expected<Message, AgentError> Message::decode(std::span<const std::byte> body) {
    if (body.size() < 8) {
        return std::unexpected(AgentError::Malformed);
    }
    if (getU32(body.data()) != kProtocolVersion) {
        return std::unexpected(AgentError::ProtocolVersion);
    }
    const std::uint32_t count = getU32(body.data() + 4);
    if (count > kMaxFields) {
        return std::unexpected(AgentError::TooLarge);
    }
    Message message;
    std::size_t at = 8;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (body.size() - at < 2) {
            return std::unexpected(AgentError::Malformed);
        }
        const std::size_t keySize =
            (std::to_integer<std::size_t>(body[at]) << 8) | std::to_integer<std::size_t>(body[at + 1]);
        at += 2;
        if (keySize == 0 || keySize > kMaxKeyBytes) {
            return std::unexpected(AgentError::Malformed);
        }
        if (body.size() - at < keySize + 4) {
            return std::unexpected(AgentError::Malformed);
        }
        QByteArray key(reinterpret_cast<const char*>(body.data() + at), static_cast<qsizetype>(keySize));
        at += keySize;
        const std::size_t valueSize = getU32(body.data() + at);
        at += 4;
        if (body.size() - at < valueSize) {
            return std::unexpected(AgentError::Malformed);
        }
        message.m_fields.push_back(Field{std::move(key), crypto::SecureBuffer::copyOf(body.subspan(at, valueSize))});
        at += valueSize;
    }
    if (at != body.size()) {
        return std::unexpected(AgentError::Malformed);
    }
    return message;
}

std::expected<void, AgentError> writeFrame(int fd, const Message& message, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    const auto frame = message.encode();
    std::size_t done = 0;
    while (done < frame.size()) {
        const ssize_t put = ::send(fd, frame.data() + done, frame.size() - done, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (put > 0) {
            done += static_cast<std::size_t>(put);
            continue;
        }
        if (put < 0 && errno == EINTR) {
            continue;
        }
        if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!waitFor(fd, POLLOUT, deadline)) {
                return std::unexpected(AgentError::Timeout);
            }
            continue;
        }
        return std::unexpected(AgentError::SocketFailed);
    }
    return {};
}

std::expected<Message, AgentError> readFrame(int fd, std::size_t maxBytes, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::byte prefix[4];
    if (auto read = readExactly(fd, prefix, sizeof prefix, deadline, true); !read) {
        return std::unexpected(read.error());
    }
    const std::size_t size = getU32(prefix);
    if (size > maxBytes) {
        return std::unexpected(AgentError::TooLarge);
    }
    crypto::SecureBuffer body(size);
    if (auto read = readExactly(fd, body.data(), size, deadline, false); !read) {
        return std::unexpected(read.error());
    }
    return Message::decode(body.bytes());
}

} // namespace coffer::agent::wire
