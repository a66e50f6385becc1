// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/core/AgentErrors.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <span>
#include <string_view>

/// The agent's frames without Qt (docs/agent.md): a frame is a 4-byte big-endian length and a body; a body is
/// the protocol version (u32), the field count (u32) and the fields, each a key (u16 length + ASCII) and a value
/// (u32 length + bytes). agent/Wire.h builds its messages on these; coffer-cli's front end uses them directly.
/// Nothing here allocates for a value: the caller owns (and wipes) every byte that may be a secret.
namespace coffer::agent::frame {

inline constexpr std::uint32_t kProtocolVersion = 1;
/// Requests carry names, addresses and at most a run template: 1 MiB is far above any real one.
inline constexpr std::size_t kMaxRequestBytes = 1024 * 1024;
/// Responses carry an environment's values (each at most 1 MiB).
inline constexpr std::size_t kMaxResponseBytes = 256 * 1024 * 1024;
inline constexpr std::size_t kMaxFields = 1'000'000;
inline constexpr std::size_t kMaxKeyBytes = 64;

struct FieldView {
    std::string_view key;
    std::span<const std::byte> value;
};

/// The size of the whole frame (length prefix included) that holds `fields`.
[[nodiscard]] std::size_t frameSize(std::span<const FieldView> fields) noexcept;
/// Writes the frame into `out`, which holds exactly frameSize(fields) bytes.
void encodeFrame(std::span<const FieldView> fields, std::span<std::byte> out) noexcept;

/// How many fields a body claims, as far as its size can hold them (a field takes at least 7 bytes): room to
/// reserve before decodeBody, never more than the body could fill. 0 for a body too short to say.
[[nodiscard]] std::size_t claimedFieldCount(std::span<const std::byte> body) noexcept;
/// Parses a body (without the length prefix), handing each field to `sink` as views into `body`.
/// Malformed for broken framing, ProtocolVersion for another version, TooLarge past kMaxFields; a key that is
/// empty or longer than kMaxKeyBytes is Malformed.
using FieldSink = std::function<void(std::string_view key, std::span<const std::byte> value)>;
[[nodiscard]] std::expected<void, AgentError> decodeBody(std::span<const std::byte> body, const FieldSink& sink);

/// Writes every byte to a blocking or non-blocking socket, waiting at most `timeout` in total.
[[nodiscard]] std::expected<void, AgentError> writeBytes(int fd, std::span<const std::byte> bytes,
                                                         std::chrono::milliseconds timeout);

/// Reads one frame's body of at most `maxBytes` bytes into the buffer `allocate(size)` returns (exactly `size`
/// bytes), waiting at most `timeout` in total (Timeout); a peer that closes early is Malformed (NotRunning when
/// it closed before the first byte); TooLarge also when `allocate` returns fewer bytes. Returns the body.
using Allocate = std::function<std::span<std::byte>(std::size_t size)>;
[[nodiscard]] std::expected<std::span<std::byte>, AgentError>
readBody(int fd, std::size_t maxBytes, std::chrono::milliseconds timeout, const Allocate& allocate);

} // namespace coffer::agent::frame
