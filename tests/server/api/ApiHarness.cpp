// SPDX-License-Identifier: Apache-2.0
#include "tests/server/api/ApiHarness.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "crypto/Sodium.h"
#include "server/Codes.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"

#include <QTest>

namespace coffer::test {

Member Member::make(const std::string& name) {
    static_cast<void>(crypto::initialize());
    Member member{crypto::SigningKeyPair::keygen(), crypto::BoxKeyPair::keygen(), {}, {}, {}, {}};
    member.identity.signKey = member.sign.publicKey;
    member.identity.boxKey = member.box.publicKey;
    member.identity.displayName = name;
    protocol::signIdentity(member.identity, member.sign.secretKey);
    member.id = protocol::memberId(member.identity);
    member.idHex = crypto::toHex(member.id.bytes);
    member.keyHex = crypto::toHex(member.sign.publicKey.bytes);
    return member;
}

protocol::Head Team::head() const {
    if (events.empty())
        return {};
    return protocol::Head{events.back().seq, protocol::rosterEventHash(events.back())};
}

ApiHarness::ApiHarness(server::Limits limits) {
    static_cast<void>(crypto::initialize());
    auto opened = server::openStore("sqlite:" + m_dir.filePath(QStringLiteral("server.db")).toStdString());
    if (!opened)
        qFatal("cannot open the test store: %s", opened.error().detail.c_str());
    store = std::move(*opened);
    log = std::make_unique<server::RequestLog>([this](std::string_view line) { logLines.emplace_back(line); });
    api = std::make_unique<server::Api>(*store, clock, limits, *log);
}

ApiHarness::~ApiHarness() = default;

std::string ApiHarness::hex(std::span<const std::byte> bytes) {
    return crypto::toHex(bytes);
}

server::Request ApiHarness::prepare(const std::string& method, const std::string& target, const std::string& body,
                                    const Member* signer, const Signing& signing) {
    server::Request request = server::Request::make(method, target, body);
    if (signer == nullptr || !signing.sign)
        return request;
    const crypto::SigningKeyPair& key = signing.session ? *signing.sessionKey : signer->sign;
    const auto headers = protocol::signRequest(method, request.path, request.query, body, key, signing.session,
                                               clock.seconds + signing.timeOffset);
    for (const auto& [name, value] : headers)
        request.headers.insert_or_assign(name, value);
    if (signing.corruptSignature) {
        auto& signature = request.headers[std::string(protocol::kHeaderSignature)];
        signature[0] = signature[0] == 'A' ? 'B' : 'A';
    }
    return request;
}

Reply ApiHarness::sendRaw(const server::Request& request) {
    const server::Response response = api->handle(request);
    Reply reply;
    reply.status = response.status;
    reply.body = response.body;
    reply.headers = response.headers;
    reply.json = nlohmann::json::parse(response.body, nullptr, false);
    if (reply.json.is_discarded())
        reply.json = nullptr;
    return reply;
}

Reply ApiHarness::send(const std::string& method, const std::string& target, const std::string& body,
                       const Member* signer, const Signing& signing) {
    return sendRaw(prepare(method, target, body, signer, signing));
}

Reply ApiHarness::send(const std::string& method, const std::string& target, const nlohmann::json& body,
                       const Member& signer, const Signing& signing) {
    return send(method, target, body.dump(), &signer, signing);
}

Reply ApiHarness::get(const std::string& target, const Member& signer, const Signing& signing) {
    return send("GET", target, std::string{}, &signer, signing);
}

std::string ApiHarness::teamCode(std::int64_t validSeconds) {
    const std::string code = server::makeTeamCode();
    if (!store->addTeamCode(server::codeHash(code), clock.seconds + validSeconds))
        qFatal("cannot store a team code");
    return code;
}

std::optional<Team> ApiHarness::createTeam(const Member& owner) {
    protocol::RosterEvent genesis;
    genesis.kind = protocol::RosterEventKind::Genesis;
    genesis.subject = owner.identity;
    genesis.role = protocol::Role::Owner;
    genesis.signer = owner.id;
    genesis.time = clock.seconds;
    protocol::signRosterEvent(genesis, owner.sign.secretKey);
    const Reply reply =
        send("POST", "/v1/teams", nlohmann::json{{"code", teamCode()}, {"genesis", protocol::toJson(genesis)}}, owner);
    if (reply.status != 201) {
        qWarning("createTeam: %d %s", reply.status, reply.body.c_str());
        return std::nullopt;
    }
    Team team;
    team.id = protocol::teamIdOf(genesis);
    team.idHex = hex(team.id.bytes);
    team.events.push_back(genesis);
    return team;
}

protocol::RosterEvent ApiHarness::rosterEvent(const Team& team, const Member& signer, const Member& subject,
                                              protocol::RosterEventKind kind, protocol::Role role) const {
    protocol::RosterEvent event;
    event.team = team.id;
    event.seq = team.head().seq + 1;
    event.previous = team.head().hash;
    event.kind = kind;
    event.subject = subject.identity;
    event.role = role;
    event.signer = signer.id;
    event.time = clock.seconds;
    protocol::signRosterEvent(event, signer.sign.secretKey);
    return event;
}

Reply ApiHarness::appendRoster(Team& team, const Member& caller, const protocol::RosterEvent& event) {
    const Reply reply = send("POST", "/v1/teams/" + team.idHex + "/roster",
                             nlohmann::json{{"expectedHead", protocol::toJson(team.head())},
                                            {"events", nlohmann::json::array({protocol::toJson(event)})}},
                             caller);
    if (reply.status == 200)
        team.events.push_back(event);
    return reply;
}

bool ApiHarness::addMember(Team& team, const Member& admin, const Member& subject, protocol::Role role) {
    const auto event = rosterEvent(team, admin, subject, protocol::RosterEventKind::Add, role);
    const Reply reply = appendRoster(team, admin, event);
    if (reply.status != 200)
        qWarning("addMember: %d %s", reply.status, reply.body.c_str());
    return reply.status == 200;
}

protocol::Grant ApiHarness::grant(const Team& team, const Member& admin, const Member& member,
                                  const protocol::EnvironmentId& environment, std::uint64_t epoch,
                                  protocol::Access access) const {
    const auto environmentKey = crypto::AeadKey::keygen();
    protocol::Grant grant;
    grant.team = team.id;
    grant.environment = environment;
    grant.epoch = epoch;
    grant.member = member.id;
    grant.access = access;
    grant.sealedKey = crypto::seal(member.box.publicKey, environmentKey.bytes());
    grant.rosterSeq = team.head().seq;
    grant.rosterHead = team.head().hash;
    grant.admin = admin.id;
    protocol::signGrant(grant, admin.sign.secretKey);
    return grant;
}

Reply ApiHarness::putGrants(const Team& team, const Member& admin, const std::vector<protocol::Grant>& grants) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& grant : grants)
        list.push_back(protocol::toJson(grant));
    return send("PUT", "/v1/teams/" + team.idHex + "/grants", nlohmann::json{{"grants", list}}, admin);
}

std::vector<protocol::ChangeRecord> ApiHarness::batch(const Team& team, const protocol::EnvironmentId& environment,
                                                      const Member& author, std::uint64_t epoch,
                                                      const protocol::Head& head, std::size_t count,
                                                      std::size_t ciphertextBytes) const {
    std::vector<protocol::ChangeRecord> records(count);
    for (auto& record : records) {
        record.team = team.id;
        record.environment = environment;
        record.epoch = epoch;
        record.id = crypto::randomArray<16>();
        record.author = author.id;
        record.nonce = crypto::randomArray<crypto::aead::kNonceBytes>();
        // The server never decrypts: random bytes stand in for the AEAD output.
        record.ciphertext.resize(ciphertextBytes);
        crypto::randomFill(record.ciphertext);
    }
    protocol::chainAndSignBatch(records, head, author.sign.secretKey);
    return records;
}

Reply ApiHarness::push(const Team& team, const protocol::EnvironmentId& environment, const Member& author,
                       const protocol::Head& expected, const std::vector<protocol::ChangeRecord>& records) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& record : records)
        list.push_back(protocol::toJson(record));
    return send("POST", envPath(team, environment) + "/records",
                nlohmann::json{{"expectedHead", protocol::toJson(expected)}, {"records", list}}, author);
}

std::string ApiHarness::envPath(const Team& team, const protocol::EnvironmentId& environment) {
    return "/v1/teams/" + team.idHex + "/environments/" + hex(environment);
}

protocol::EnvironmentId ApiHarness::newEnvironment() {
    return crypto::randomArray<16>();
}

} // namespace coffer::test
