// SPDX-License-Identifier: Apache-2.0
#pragma once

// An in-process sync server over plain C++ containers (the shape of Nextcloud's FakeQNAM in
// syncenginetestutils.h): the routes the engine uses (roster, grants, records), the same JSON as
// coffer-server, the same authorisation rules, and injectable faults. Requests are verified like the real
// server does (signature and time), so the engine under test talks to it through its real ServerClient.

#include "sync/Transport.h"
#include "sync/protocol/Types.h"
#include "sync/protocol/Verify.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace coffer::tests {

enum class Fault {
    None,
    DropRequest, ///< the request never arrives: Offline, nothing changed
    DropReply,   ///< the request is handled, the reply is lost: Offline, the change happened
    ServerError, ///< 500 without handling it
};

class FakeServer {
public:
    /// Decides the fault for each request (nullptr: none).
    std::function<Fault(const sync::HttpRequest&)> faults;
    /// Runs (once, then cleared) before a push is handled, with no lock held: a test makes another client push
    /// here to force a 409 race.
    std::function<void()> beforePush;
    /// Changes a successful reply before it is returned (tampering tests).
    std::function<void(const sync::HttpRequest&, sync::HttpResponse&)> tamper;

    /// Stores a team's roster as is (no verification: tests may plant a bad one).
    void setRoster(const protocol::TeamId& team, std::vector<protocol::RosterEvent> events);
    void appendRoster(const protocol::TeamId& team, const protocol::RosterEvent& event);

    /// The records of an environment, as stored (tests may change them to tamper).
    std::vector<protocol::ChangeRecord>& records(const protocol::TeamId& team,
                                                 const protocol::EnvironmentId& environment);
    [[nodiscard]] std::size_t requestCount() const;

    /// Handles one request with the configured faults.
    [[nodiscard]] sync::Result<sync::HttpResponse> send(const sync::HttpRequest& request);
    /// A transport factory whose transports all talk to this server.
    [[nodiscard]] sync::TransportFactory factory();

private:
    struct Environment {
        std::vector<protocol::ChangeRecord> records;
        std::map<std::pair<std::uint64_t, protocol::MemberId>, protocol::Grant> grants;
    };
    struct Team {
        std::vector<protocol::RosterEvent> events;
        std::optional<protocol::RosterState> roster;
        std::map<protocol::EnvironmentId, Environment> environments;
    };

    sync::HttpResponse handle(const sync::HttpRequest& request);
    sync::HttpResponse handleRoster(Team& team, const sync::HttpRequest& request, const protocol::MemberId& caller);
    sync::HttpResponse handleGrants(Team& team, const protocol::TeamId& id, const sync::HttpRequest& request,
                                    const protocol::MemberId& caller);
    sync::HttpResponse handleRecords(Team& team, const protocol::EnvironmentId& environment,
                                     const sync::HttpRequest& request, const protocol::MemberId& caller);

    mutable std::recursive_mutex m_mutex;
    std::map<protocol::TeamId, Team> m_teams;
    std::size_t m_requests = 0;
};

} // namespace coffer::tests
