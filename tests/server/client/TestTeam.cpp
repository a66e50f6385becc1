// SPDX-License-Identifier: Apache-2.0
#include "tests/server/client/TestTeam.h"

#include "crypto/Random.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "tests/server/client/ProtocolBuilders.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace coffer::tests {

TestTeam::TestTeam(ApiClient& adminClient, TestMember owner)
    : m_client(adminClient)
    , m_owner(std::move(owner)) {}

std::string TestTeam::path() const {
    return "/v1/teams/" + m_teamHex;
}

std::string TestTeam::recordsPath(const protocol::EnvironmentId& environment) const {
    return path() + "/environments/" + hexOf(environment) + "/records";
}

ApiResponse TestTeam::create(const std::string& teamCode) {
    const auto genesis = makeGenesis(m_owner);
    const nlohmann::json body{{"code", teamCode}, {"genesis", protocol::toJson(genesis)}};
    auto response = m_client.post("/v1/teams", body, ownerSigner());
    if (response.status == 201) {
        m_team = protocol::teamIdOf(genesis);
        m_teamHex = hexOf(m_team.bytes);
        m_events = {genesis};
        m_rosterHead = headOf(genesis);
    }
    return response;
}

ApiResponse TestTeam::invite(const std::string& code, std::int64_t validSeconds) {
    const nlohmann::json body{{"codeHash", inviteCodeHash(code)}, {"expiresAt", unixNow() + validSeconds}};
    return m_client.post(path() + "/invites", body, ownerSigner());
}

ApiResponse TestTeam::acceptInvite(ApiClient& client, const TestMember& member, const std::string& code) const {
    const nlohmann::json body{{"code", code}, {"identity", protocol::toJson(member.identity)}};
    return client.post(path() + "/invites/accept", body, Signer::device(member.sign));
}

ApiResponse TestTeam::appendRoster(protocol::RosterEventKind kind, const protocol::MemberIdentity& subject,
                                   protocol::Role role) {
    auto event = makeRosterEvent(m_team, m_rosterHead, kind, subject, role, m_owner);
    const nlohmann::json body{{"expectedHead", protocol::toJson(m_rosterHead)},
                              {"events", nlohmann::json::array({protocol::toJson(event)})}};
    auto response = m_client.post(path() + "/roster", body, ownerSigner());
    if (response.status == 200) {
        m_rosterHead = headOf(event);
        m_events.push_back(std::move(event));
    }
    return response;
}

std::expected<void, std::string> TestTeam::addMember(ApiClient& memberClient, const TestMember& member,
                                                     protocol::Role role) {
    const std::string code = "invite-" + member.idHex().substr(0, 16);
    if (auto r = invite(code); r.status != 201) {
        return std::unexpected("invite: " + r.describe());
    }
    if (auto r = acceptInvite(memberClient, member, code); r.status != 200) {
        return std::unexpected("accept: " + r.describe());
    }
    if (auto r = appendRoster(protocol::RosterEventKind::Add, member.identity, role); r.status != 200) {
        return std::unexpected("roster Add: " + r.describe());
    }
    return {};
}

ApiResponse TestTeam::openSession(ApiClient& client, TestMember& member) const {
    auto key = crypto::SigningKeyPair::keygen();
    const nlohmann::json body{
        {"team", m_teamHex}, {"sessionKey", hexOf(key.publicKey.bytes)}, {"expiresAt", unixNow() + 600}};
    auto response = client.post("/v1/sessions", body, Signer::device(member.sign));
    if (response.status == 200) {
        member.session.emplace(std::move(key));
    }
    return response;
}

ApiResponse TestTeam::putGrants(const std::vector<protocol::Grant>& grants) {
    auto list = nlohmann::json::array();
    for (const auto& grant : grants) {
        list.push_back(protocol::toJson(grant));
    }
    return m_client.put(path() + "/grants", nlohmann::json{{"grants", list}}, ownerSigner());
}

ApiResponse TestTeam::grant(const TestMember& member, const protocol::EnvironmentId& environment, std::uint64_t epoch,
                            protocol::Access access, const crypto::AeadKey& environmentKey) {
    return putGrants({makeGrant(m_team, environment, epoch, member, access, environmentKey, m_rosterHead, m_owner)});
}

ApiResponse TestTeam::push(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment,
                           const protocol::Head& expectedHead,
                           const std::vector<protocol::ChangeRecord>& records) const {
    const nlohmann::json body{{"expectedHead", protocol::toJson(expectedHead)}, {"records", recordsJson(records)}};
    return client.post(recordsPath(environment), body, signer);
}

ApiResponse TestTeam::pull(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment,
                           std::uint64_t after, std::size_t limit) const {
    return client.get(recordsPath(environment), "after=" + std::to_string(after) + "&limit=" + std::to_string(limit),
                      signer);
}

std::expected<std::vector<protocol::ChangeRecord>, std::string>
TestTeam::pullAll(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment,
                  std::size_t pageSize) const {
    std::vector<protocol::ChangeRecord> all;
    std::uint64_t after = 0;
    for (;;) {
        const auto response = pull(client, signer, environment, after, pageSize);
        if (response.status != 200) {
            return std::unexpected("pull after " + std::to_string(after) + ": " + response.describe());
        }
        const auto json = response.json();
        if (!json.is_object() || !json.contains("records") || !json["records"].is_array() || !json.contains("more") ||
            !json["more"].is_boolean()) {
            return std::unexpected("pull: unexpected body " + response.body.substr(0, 200));
        }
        for (const auto& item : json["records"]) {
            auto record = protocol::recordFromJson(item);
            if (!record) {
                return std::unexpected("pull: record does not decode: " + protocol::describe(record.error()));
            }
            all.push_back(std::move(*record));
        }
        if (!json["more"].get<bool>()) {
            return all;
        }
        if (json["records"].empty()) {
            return std::unexpected(std::string("pull: more = true on an empty page"));
        }
        after = all.back().seq;
    }
}

std::expected<protocol::Head, std::string>
TestTeam::pushRetrying(ApiClient& client, Signer signer, const protocol::EnvironmentId& environment,
                       std::vector<protocol::ChangeRecord>& records, const TestMember& author,
                       const crypto::AeadKey& environmentKey, int& conflicts, int maxAttempts) const {
    protocol::Head expected{records.front().seq - 1, records.front().previous};
    for (int attempt = 0; attempt < maxAttempts; ++attempt) {
        const auto response = push(client, signer, environment, expected, records);
        if (response.status == 200) {
            return headAfter(records);
        }
        if (response.status == 429) {
            // Rate limited: wait as told (at most 2 s), then the same batch again.
            const auto retryAfter = response.header("Retry-After");
            const int seconds = retryAfter.empty() || !std::isdigit(static_cast<unsigned char>(retryAfter[0]))
                                    ? 1
                                    : std::min(std::atoi(retryAfter.c_str()), 2);
            std::this_thread::sleep_for(std::chrono::seconds(std::max(seconds, 1)));
            continue;
        }
        if (response.status != 409) {
            return std::unexpected("push: " + response.describe());
        }
        ++conflicts;
        // Someone else appended first. Back off a random few milliseconds, more after each conflict in a
        // row, so that contending clients stop colliding in lock step.
        const auto ceiling = static_cast<std::uint32_t>(2 + 4 * std::min(attempt, 5));
        std::this_thread::sleep_for(std::chrono::milliseconds(crypto::randomUniform(ceiling)));
        const auto json = response.json();
        auto head =
            json.is_object() && json.contains("head")
                ? protocol::headFromJson(json["head"])
                : protocol::Result<protocol::Head>(protocol::fail(protocol::ErrorCode::Malformed, 0, "no head"));
        if (!head) {
            return std::unexpected("409 without a head: " + response.body.substr(0, 200));
        }
        if (!rechain(records, *head, author, environmentKey)) {
            return std::unexpected(std::string("cannot re-encrypt the batch"));
        }
        expected = *head;
    }
    return std::unexpected(std::string("push: too many conflicts"));
}

} // namespace coffer::tests
