// SPDX-License-Identifier: Apache-2.0
#include "agent/core/Frame.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace coffer::agent::frame {

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

std::size_t frameSize(std::span<const FieldView> fields) noexcept {
    std::size_t size = 4 + 4 + 4;
    for (const auto& field : fields) {
        size += 2 + field.key.size() + 4 + field.value.size();
    }
    return size;
}

void encodeFrame(std::span<const FieldView> fields, std::span<std::byte> out) noexcept {
    std::byte* at = out.data();
    putU32(at, static_cast<std::uint32_t>(out.size() - 4));
    putU32(at + 4, kProtocolVersion);
    putU32(at + 8, static_cast<std::uint32_t>(fields.size()));
    at += 12;
    for (const auto& field : fields) {
        const std::size_t keySize = field.key.size();
        at[0] = std::byte(keySize >> 8);
        at[1] = std::byte(keySize);
        std::memcpy(at + 2, field.key.data(), keySize);
        at += 2 + keySize;
        putU32(at, static_cast<std::uint32_t>(field.value.size()));
        if (!field.value.empty()) {
            std::memcpy(at + 4, field.value.data(), field.value.size());
        }
        at += 4 + field.value.size();
    }
}

std::size_t claimedFieldCount(std::span<const std::byte> body) noexcept {
    if (body.size() < 8) {
        return 0;
    }
    return std::min({std::size_t{getU32(body.data() + 4)}, (body.size() - 8) / 7, kMaxFields});
}

std::expected<void, AgentError> decodeBody(std::span<const std::byte> body, const FieldSink& sink) {
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
    std::size_t at = 8;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (body.size() - at < 2) {
            return std::unexpected(AgentError::Malformed);
        }
        const std::size_t keySize =
            (std::to_integer<std::size_t>(body[at]) << 8) | std::to_integer<std::size_t>(body[at + 1]);
        at += 2;
        if (keySize == 0 || keySize > kMaxKeyBytes || body.size() - at < keySize + 4) {
            return std::unexpected(AgentError::Malformed);
        }
        const std::string_view key(reinterpret_cast<const char*>(body.data() + at), keySize);
        at += keySize;
        const std::size_t valueSize = getU32(body.data() + at);
        at += 4;
        if (body.size() - at < valueSize) {
            return std::unexpected(AgentError::Malformed);
        }
        sink(key, body.subspan(at, valueSize));
        at += valueSize;
    }
    if (at != body.size()) {
        return std::unexpected(AgentError::Malformed);
    }
    return {};
}

std::expected<void, AgentError> writeBytes(int fd, std::span<const std::byte> bytes,
                                           std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t put = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_DONTWAIT | MSG_NOSIGNAL);
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

std::expected<std::span<std::byte>, AgentError> readBody(int fd, std::size_t maxBytes,
                                                         std::chrono::milliseconds timeout, const Allocate& allocate) {
    const auto deadline = Clock::now() + timeout;
    std::byte prefix[4];
    if (auto read = readExactly(fd, prefix, sizeof prefix, deadline, true); !read) {
        return std::unexpected(read.error());
    }
    const std::size_t size = getU32(prefix);
    if (size > maxBytes) {
        return std::unexpected(AgentError::TooLarge);
    }
    const std::span<std::byte> body = allocate(size);
    if (body.size() != size) {
        return std::unexpected(AgentError::TooLarge); // no memory for it
    }
    if (auto read = readExactly(fd, body.data(), size, deadline, false); !read) {
        return std::unexpected(read.error());
    }
    return body;
}

} // namespace coffer::agent::frame
