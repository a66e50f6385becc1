// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentError.h"
#include "agent/core/Frame.h"
#include "crypto/SecureBuffer.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// The agent's messages on the frames of agent/core/Frame.h (docs/agent.md). Values live in wiped memory
/// (SecureBuffer): they may be secrets.
namespace coffer::agent::wire {

using frame::kMaxFields;
using frame::kMaxKeyBytes;
using frame::kMaxRequestBytes;
using frame::kMaxResponseBytes;
using frame::kProtocolVersion;

/// A field's value: a view into its message's wiped memory, valid until the message changes or goes.
struct Value {
    std::span<const std::byte> bytes;

    [[nodiscard]] std::string_view view() const noexcept {
        return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
    }
};

/// An ordered list of fields; a list is the same key repeated. All values share one wiped buffer: a reply of
/// 10,000 rows is one guarded allocation, not 50,000 (each costs an mmap, mprotects, an mlock and an munmap).
class Message {
public:
    Message() = default;
    explicit Message(const QString& operation) { add("op", operation); }

    void add(const char* key, const QString& text);
    void add(const char* key, std::span<const std::byte> bytes);
    void addNumber(const char* key, std::int64_t number);
    void addFlag(const char* key, bool flag) { addNumber(key, flag ? 1 : 0); }

    /// The first field named `key`.
    [[nodiscard]] std::optional<Value> find(const char* key) const;
    [[nodiscard]] std::optional<QString> text(const char* key) const;
    [[nodiscard]] QString textOr(const char* key, const QString& fallback = {}) const;
    [[nodiscard]] std::optional<std::int64_t> number(const char* key) const;
    [[nodiscard]] bool flag(const char* key) const { return number(key).value_or(0) != 0; }
    /// Every field named `key`, in order.
    [[nodiscard]] std::vector<Value> all(const char* key) const;
    [[nodiscard]] QStringList texts(const char* key) const;

    /// The frame: length prefix and body.
    [[nodiscard]] crypto::SecureBuffer encode() const;
    /// Parses a body (without the length prefix). Malformed for broken framing, ProtocolVersion for another
    /// version, TooLarge past kMaxFields or kMaxKeyBytes.
    [[nodiscard]] static std::expected<Message, AgentError> decode(std::span<const std::byte> body);

private:
    struct Field {
        std::string key;        ///< short keys stay in the string itself: no allocation per field
        std::size_t offset = 0; ///< into m_values
        std::size_t size = 0;
    };

    [[nodiscard]] Value valueOf(const Field& field) const noexcept;
    void append(std::string_view key, std::span<const std::byte> bytes);
    /// Room for `bytes` more value bytes; where they start.
    [[nodiscard]] std::byte* grow(std::size_t bytes);
    /// The field whose `size` bytes were just written where grow() pointed.
    void addField(std::string_view key, std::size_t size);
    void reserve(std::size_t bytes);

    std::vector<Field> m_fields;
    crypto::SecureBuffer m_values; ///< the values back to back; its first m_used bytes are in use
    std::size_t m_used = 0;
};

/// Writes a whole frame to a blocking or non-blocking socket, waiting at most `timeout` in total.
[[nodiscard]] std::expected<void, AgentError> writeFrame(int fd, const Message& message,
                                                         std::chrono::milliseconds timeout);
/// Reads one frame of at most `maxBytes` body bytes, waiting at most `timeout` in total (Timeout); a peer
/// that closes early is Malformed (NotRunning when it closed before the first byte).
[[nodiscard]] std::expected<Message, AgentError> readFrame(int fd, std::size_t maxBytes,
                                                           std::chrono::milliseconds timeout);

} // namespace coffer::agent::wire
