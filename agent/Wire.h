// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentError.h"
#include "agent/core/Frame.h"
#include "crypto/SecureBuffer.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <vector>

/// The agent's messages on the frames of agent/core/Frame.h (docs/agent.md). Values live in wiped memory
/// (SecureBuffer): they may be secrets.
namespace coffer::agent::wire {

using frame::kMaxFields;
using frame::kMaxKeyBytes;
using frame::kMaxRequestBytes;
using frame::kMaxResponseBytes;
using frame::kProtocolVersion;

struct Field {
    QByteArray key;
    crypto::SecureBuffer value;
};

/// An ordered list of fields; a list is the same key repeated.
class Message {
public:
    Message() = default;
    explicit Message(const QString& operation) { add("op", operation); }

    void add(const char* key, const QString& text);
    void add(const char* key, std::span<const std::byte> bytes);
    void addNumber(const char* key, std::int64_t number);
    void addFlag(const char* key, bool flag) { addNumber(key, flag ? 1 : 0); }

    /// The first field named `key`, or null.
    [[nodiscard]] const crypto::SecureBuffer* find(const char* key) const;
    [[nodiscard]] std::optional<QString> text(const char* key) const;
    [[nodiscard]] QString textOr(const char* key, const QString& fallback = {}) const;
    [[nodiscard]] std::optional<std::int64_t> number(const char* key) const;
    [[nodiscard]] bool flag(const char* key) const { return number(key).value_or(0) != 0; }
    /// Every field named `key`, in order.
    [[nodiscard]] std::vector<const crypto::SecureBuffer*> all(const char* key) const;
    [[nodiscard]] QStringList texts(const char* key) const;
    [[nodiscard]] const std::vector<Field>& fields() const noexcept { return m_fields; }

    /// The frame: length prefix and body.
    [[nodiscard]] crypto::SecureBuffer encode() const;
    /// Parses a body (without the length prefix). Malformed for broken framing, ProtocolVersion for another
    /// version, TooLarge past kMaxFields or kMaxKeyBytes.
    [[nodiscard]] static std::expected<Message, AgentError> decode(std::span<const std::byte> body);

private:
    std::vector<Field> m_fields;
};

/// Writes a whole frame to a blocking or non-blocking socket, waiting at most `timeout` in total.
[[nodiscard]] std::expected<void, AgentError> writeFrame(int fd, const Message& message,
                                                         std::chrono::milliseconds timeout);
/// Reads one frame of at most `maxBytes` body bytes, waiting at most `timeout` in total (Timeout); a peer
/// that closes early is Malformed (NotRunning when it closed before the first byte).
[[nodiscard]] std::expected<Message, AgentError> readFrame(int fd, std::size_t maxBytes,
                                                           std::chrono::milliseconds timeout);

} // namespace coffer::agent::wire
