// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SealedBox.h"
#include "crypto/Sign.h"
#include "server/Api.h"
#include "server/Clock.h"
#include "server/Limits.h"
#include "server/RequestLog.h"
#include "server/Store.h"
#include "sync/protocol/Types.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>

#include <memory>
#include <optional>
#include <string>
#include <vector>

/// The API in process: a real SqliteStore in a temporary folder, a clock the test moves, captured
/// request-log lines, and a test-side signer that builds members, roster events, grants and record
/// batches the way a client does.
namespace coffer::test {

class ManualClock final : public server::Clock {
public:
    [[nodiscard]] std::int64_t unixSeconds() const override { return seconds; }
    [[nodiscard]] std::int64_t monotonicNanoseconds() const override { return nanoseconds; }
    void advance(std::int64_t by) {
        seconds += by;
        nanoseconds += by * 1'000'000'000;
    }

    std::int64_t seconds = 1'900'000'000;
    std::int64_t nanoseconds = 1'000'000'000;
};

/// A member's keys and signed identity.
struct Member {
    crypto::SigningKeyPair sign;
    crypto::BoxKeyPair box;
    protocol::MemberIdentity identity;
    protocol::MemberId id{};
    std::string idHex;
    std::string keyHex;

    [[nodiscard]] static Member make(const std::string& name);
};

/// A team as the test's admin client sees it: the roster chain it built.
struct Team {
    std::string idHex;
    protocol::TeamId id{};
    std::vector<protocol::RosterEvent> events;

    [[nodiscard]] protocol::Head head() const;
};

struct Reply {
    int status = 0;
    nlohmann::json json; ///< null when the body is not JSON
    std::string body;
    server::Headers headers;
};

/// How a request is signed (the defaults sign it correctly now).
struct Signing {
    bool sign = true;
    std::int64_t timeOffset = 0; ///< added to the clock's time
    bool session = false;        ///< sign with `sessionKey` instead of the device key
    const crypto::SigningKeyPair* sessionKey = nullptr;
    bool corruptSignature = false;
};

class ApiHarness {
public:
    explicit ApiHarness(server::Limits limits = {});
    ~ApiHarness();

    [[nodiscard]] Reply send(const std::string& method, const std::string& target, const std::string& body,
                             const Member* signer, const Signing& signing = {});
    [[nodiscard]] Reply send(const std::string& method, const std::string& target, const nlohmann::json& body,
                             const Member& signer, const Signing& signing = {});
    [[nodiscard]] Reply get(const std::string& target, const Member& signer, const Signing& signing = {});
    /// Sends a prepared request as it is (for replays).
    [[nodiscard]] Reply sendRaw(const server::Request& request);
    /// The request send() would make (signed with a fresh nonce).
    [[nodiscard]] server::Request prepare(const std::string& method, const std::string& target, const std::string& body,
                                          const Member* signer, const Signing& signing = {});

    /// A valid team code stored through the store.
    [[nodiscard]] std::string teamCode(std::int64_t validSeconds = 3600);
    /// Creates a team through POST /v1/teams with `owner` as the genesis subject; fails the test
    /// (returns nullopt) unless the server answers 201.
    [[nodiscard]] std::optional<Team> createTeam(const Member& owner);
    /// A signed roster event on top of `team`'s chain (not sent).
    [[nodiscard]] protocol::RosterEvent rosterEvent(const Team& team, const Member& signer, const Member& subject,
                                                    protocol::RosterEventKind kind, protocol::Role role) const;
    /// POST /v1/teams/{team}/roster with one event; on 200 the event joins `team.events`.
    Reply appendRoster(Team& team, const Member& caller, const protocol::RosterEvent& event);
    /// Adds `subject` with `role`, signed and sent by `admin`; true on 200.
    bool addMember(Team& team, const Member& admin, const Member& subject, protocol::Role role);

    /// A grant of `environment` at `epoch` to `member`, signed by `admin` at the team's current head.
    [[nodiscard]] protocol::Grant grant(const Team& team, const Member& admin, const Member& member,
                                        const protocol::EnvironmentId& environment, std::uint64_t epoch,
                                        protocol::Access access) const;
    Reply putGrants(const Team& team, const Member& admin, const std::vector<protocol::Grant>& grants);

    /// `count` records by `author` at `epoch`, chained on `head` and batch-signed.
    [[nodiscard]] std::vector<protocol::ChangeRecord>
    batch(const Team& team, const protocol::EnvironmentId& environment, const Member& author, std::uint64_t epoch,
          const protocol::Head& head, std::size_t count, std::size_t ciphertextBytes = 64) const;
    Reply push(const Team& team, const protocol::EnvironmentId& environment, const Member& author,
               const protocol::Head& expected, const std::vector<protocol::ChangeRecord>& records);

    [[nodiscard]] static std::string envPath(const Team& team, const protocol::EnvironmentId& environment);
    [[nodiscard]] static protocol::EnvironmentId newEnvironment();
    [[nodiscard]] static std::string hex(std::span<const std::byte> bytes);

    ManualClock clock;
    std::vector<std::string> logLines;
    std::unique_ptr<server::Store> store;
    std::unique_ptr<server::RequestLog> log;
    std::unique_ptr<server::Api> api;

private:
    QTemporaryDir m_dir;
};

} // namespace coffer::test
