// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Sign.h"
#include "sync/SyncError.h"
#include "sync/Transport.h"
#include "sync/protocol/Types.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace coffer::sync {

/// One page of an environment's log as the server returned it (decoded, not yet verified).
struct RecordPage {
    std::vector<protocol::ChangeRecord> records;
    protocol::Head head; ///< the server's head of the log
    bool more = false;
};

struct RosterPage {
    std::vector<protocol::RosterEvent> events;
    protocol::Head head;
};

struct Acceptance {
    protocol::MemberId member{};
    protocol::MemberIdentity identity;
    std::int64_t acceptedAt = 0;
};

struct AccessLogEntry {
    std::int64_t time = 0;
    protocol::MemberId member{};
    protocol::EnvironmentId environment{};
    std::string action; ///< "read" or "write"
};

/// The HTTP API of docs/protocol.md, typed. Every request is signed with the device key (RequestAuth.h),
/// with the time from `clock`. Replies are decoded strictly: a reply that does not parse, has a field too
/// many or too few, or breaks a wire rule is HostileResponse (never a crash, never a default). Statuses map
/// to errors: 401/403 Refused, 404 NotFound, 409 Conflict (with the server's head in conflictHead()),
/// 413/400 InvalidInput (our request was refused as malformed: a bug or a limit), 429 retried after
/// Retry-After (at most 3 times, at most 5 s each) then Server, 5xx Server. Decoding checks shapes only:
/// the engine verifies signatures and chains.
class ServerClient {
public:
    using Clock = std::function<std::int64_t()>; ///< Unix seconds
    ServerClient(Transport& transport, const crypto::SigningKeyPair& deviceKey, Clock clock = {});

    [[nodiscard]] Result<protocol::Head> createTeam(const std::string& teamCode, const protocol::RosterEvent& genesis);
    [[nodiscard]] Result<RosterPage> roster(const protocol::TeamId& team, std::uint64_t from);
    /// Conflict (and conflictHead()) when the roster moved.
    [[nodiscard]] Result<protocol::Head> appendRoster(const protocol::TeamId& team, const protocol::Head& expectedHead,
                                                      const std::vector<protocol::RosterEvent>& events);
    [[nodiscard]] Result<void> createInvite(const protocol::TeamId& team, const protocol::Hash& codeHash,
                                            std::int64_t expiresAt);
    [[nodiscard]] Result<protocol::MemberId> acceptInvite(const protocol::TeamId& team, const std::string& code,
                                                          const protocol::MemberIdentity& identity);
    [[nodiscard]] Result<std::vector<Acceptance>> acceptances(const protocol::TeamId& team);
    [[nodiscard]] Result<void> putGrants(const protocol::TeamId& team, const std::vector<protocol::Grant>& grants);
    /// The caller's own grants, every environment and epoch.
    [[nodiscard]] Result<std::vector<protocol::Grant>> myGrants(const protocol::TeamId& team);
    /// Every grant of one environment (admins, and members holding a grant of that environment).
    [[nodiscard]] Result<std::vector<protocol::Grant>> environmentGrants(const protocol::TeamId& team,
                                                                         const protocol::EnvironmentId& environment);
    /// Conflict (and conflictHead()) when the log moved.
    [[nodiscard]] Result<protocol::Head> push(const protocol::TeamId& team, const protocol::EnvironmentId& environment,
                                              const protocol::Head& expectedHead,
                                              const std::vector<protocol::ChangeRecord>& records);
    [[nodiscard]] Result<RecordPage> pull(const protocol::TeamId& team, const protocol::EnvironmentId& environment,
                                          std::uint64_t after, std::size_t limit = 1000);
    [[nodiscard]] Result<std::vector<AccessLogEntry>> accessLog(const protocol::TeamId& team, std::int64_t since,
                                                                std::size_t limit = 1000);

    /// The head a 409 reply carried (valid right after a Conflict error).
    [[nodiscard]] const protocol::Head& conflictHead() const noexcept { return m_conflictHead; }

private:
    Transport& m_transport;
    const crypto::SigningKeyPair& m_key;
    Clock m_clock;
    protocol::Head m_conflictHead;
};

} // namespace coffer::sync
