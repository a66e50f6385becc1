// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "sync/protocol/Types.h"
#include "tests/server/client/ApiClient.h"
#include "tests/server/client/TestMember.h"

#include <expected>
#include <string>
#include <vector>

namespace coffer::tests {

/// One team on a real server, driven through the HTTP API the way a client drives it: the owner
/// signs the genesis, invites, adds members to the roster, writes grants. It keeps the roster it
/// built (events and head). Admin calls go through the ApiClient given at construction; calls that
/// tests make from several threads take their own ApiClient.
class TestTeam {
public:
    TestTeam(ApiClient& adminClient, TestMember owner);

    /// POST /v1/teams with the genesis; on 201 the team id and roster head are kept.
    ApiResponse create(const std::string& teamCode);

    /// POST …/invites (owner) for `code`, valid for `validSeconds`.
    ApiResponse invite(const std::string& code, std::int64_t validSeconds = 3600);
    /// POST …/invites/accept by `member` (signed with its device key).
    ApiResponse acceptInvite(ApiClient& client, const TestMember& member, const std::string& code) const;
    /// POST …/roster with one event signed by the owner; on 200 the event and head are kept.
    ApiResponse appendRoster(protocol::RosterEventKind kind, const protocol::MemberIdentity& subject,
                             protocol::Role role);
    /// Invite, accept and Add in one go; an error text naming the step that failed.
    [[nodiscard]] std::expected<void, std::string> addMember(ApiClient& memberClient, const TestMember& member,
                                                             protocol::Role role = protocol::Role::Member);

    /// POST /v1/sessions for `member` (signed with its device key): a fresh session key, kept in
    /// member.session on 200.
    ApiResponse openSession(ApiClient& client, TestMember& member) const;

    /// PUT …/grants with these grants (signed by the owner).
    ApiResponse putGrants(const std::vector<protocol::Grant>& grants);
    /// One grant of `environmentKey` at `epoch` to `member`, signed by the owner at the current head.
    ApiResponse grant(const TestMember& member, const protocol::EnvironmentId& environment, std::uint64_t epoch,
                      protocol::Access access, const crypto::AeadKey& environmentKey);

    /// POST …/records {"expectedHead", "records"}.
    ApiResponse push(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment,
                     const protocol::Head& expectedHead, const std::vector<protocol::ChangeRecord>& records) const;
    /// GET …/records?after=&limit=.
    ApiResponse pull(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment, std::uint64_t after,
                     std::size_t limit) const;
    /// Pulls every record page by page (following "more"); an error text on any non-200 or bad JSON.
    [[nodiscard]] std::expected<std::vector<protocol::ChangeRecord>, std::string>
    pullAll(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment, std::size_t pageSize) const;

    /// Pushes a batch that was built on `records[0].seq - 1`, and on each 409 moves it onto the head
    /// the server returned (rechain) and tries again after a short random back-off, up to `maxAttempts`; on 429 it
    /// waits Retry-After (at most 2 s) and sends the same batch again. The new head, or an error.
    [[nodiscard]] std::expected<protocol::Head, std::string>
    pushRetrying(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment,
                 std::vector<protocol::ChangeRecord>& records, const TestMember& author,
                 const crypto::AeadKey& environmentKey, int& conflicts, int maxAttempts = 10'000) const;

    [[nodiscard]] const TestMember& owner() const noexcept { return m_owner; }
    [[nodiscard]] const protocol::TeamId& id() const noexcept { return m_team; }
    [[nodiscard]] const std::string& idHex() const noexcept { return m_teamHex; }
    [[nodiscard]] const protocol::Head& rosterHead() const noexcept { return m_rosterHead; }
    [[nodiscard]] const std::vector<protocol::RosterEvent>& rosterEvents() const noexcept { return m_events; }
    /// "/v1/teams/<team>" and "/v1/teams/<team>/environments/<env>/records".
    [[nodiscard]] std::string path() const;
    [[nodiscard]] std::string recordsPath(const protocol::EnvironmentId& environment) const;
    [[nodiscard]] Signer ownerSigner() const { return Signer::device(m_owner.sign); }

private:
    ApiClient& m_client;
    TestMember m_owner;
    protocol::TeamId m_team{};
    std::string m_teamHex;
    protocol::Head m_rosterHead{};
    std::vector<protocol::RosterEvent> m_events;
};

} // namespace coffer::tests
