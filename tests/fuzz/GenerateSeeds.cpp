// SPDX-License-Identifier: Apache-2.0
// Writes the seed corpus of tests/fuzz from deterministic keys (tests/protocol/ProtocolTestSupport.h)
// and the dotenv samples of tests/data/dotenv/corpus. Run once by hand (`fuzz_seeds`); the output is
// committed. Files it does not name (crash regressions) are left alone.

#include "crypto/Hash.h"
#include "model/Dotenv.h"
#include "model/VaultHeader.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"
#include "sync/protocol/Verify.h"
#include "sync/protocol/Wire.h"
#include "tests/fuzz/FuzzTeam.h"
#include "tests/protocol/ProtocolTestSupport.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace p = coffer::protocol;
using coffer::test::filled;
using coffer::test::Person;

const fs::path kFuzzDir = fs::path(COFFER_SOURCE_DIR) / "tests" / "fuzz";

void put(const std::string& target, const std::string& name, std::uint8_t kind, std::span<const std::byte> bytes,
         bool withKind = true) {
    fs::create_directories(kFuzzDir / target);
    std::ofstream out(kFuzzDir / target / name, std::ios::binary | std::ios::trunc);
    if (withKind)
        out.put(static_cast<char>(kind));
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void put(const std::string& target, const std::string& name, std::uint8_t kind, std::string_view text) {
    put(target, name, kind, std::as_bytes(std::span<const char>(text.data(), text.size())));
}

std::vector<std::byte> frames(const std::vector<std::pair<std::uint8_t, std::vector<std::byte>>>& list) {
    std::vector<std::byte> out;
    for (const auto& [kind, bytes] : list) {
        out.push_back(static_cast<std::byte>(kind));
        out.push_back(static_cast<std::byte>(bytes.size() >> 8));
        out.push_back(static_cast<std::byte>(bytes.size() & 0xff));
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

void dotenvSeeds() {
    for (const auto& entry : fs::directory_iterator(fs::path(COFFER_SOURCE_DIR) / "tests/data/dotenv/corpus")) {
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        put("dotenv", entry.path().stem().string(), 0, text);
    }
    using namespace coffer::model::dotenv;
    const std::vector<std::pair<QString, std::string>> pairs{
        {QStringLiteral("DATABASE_URL"), "postgres://app:s3cret@db:5432/app"},
        {QStringLiteral("MULTI"), "line one\nline 'two'\n\"three\""},
        {QStringLiteral("EMPTY"), ""},
        {QStringLiteral("SPACES"), "  padded # not a comment  "},
    };
    const std::vector<std::pair<Dialect, std::string>> dialects{
        {Dialect::Dotenv, "dotenv"},   {Dialect::Docker, "docker"}, {Dialect::Shell, "shell"},
        {Dialect::Systemd, "systemd"}, {Dialect::Json, "json"},     {Dialect::Yaml, "yaml"},
    };
    for (std::size_t i = 0; i < dialects.size(); ++i) {
        std::vector<Entry> entries;
        for (const auto& [name, value] : pairs) {
            // docker carries no newline: give it the one-line values only.
            if (dialects[i].first == Dialect::Docker && value.find('\n') != std::string::npos)
                continue;
            entries.push_back(Entry{name, coffer::crypto::SecureBuffer::copyOf(std::string_view(value)), 0});
        }
        auto written = write(dialects[i].first, entries);
        if (!written) {
            std::cerr << dialects[i].second << ": " << written.error().message.toStdString() << '\n';
            std::exit(1);
        }
        put("dotenv", "written-" + dialects[i].second, static_cast<std::uint8_t>(i), written->bytes());
    }
}

void vaultHeaderSeeds() {
    using coffer::model::KdfCost;
    using coffer::model::VaultHeader;
    const std::vector<std::pair<std::string, KdfCost>> costs{
        {"defaults", KdfCost::defaults()},
        {"minimum", KdfCost::minimum()},
        {"ceiling", KdfCost{KdfCost::kMaxPasses, KdfCost::kMaxMemoryMiB}},
    };
    for (const auto& [name, cost] : costs) {
        VaultHeader header;
        header.cost = cost;
        header.random = filled<8>(0x5a);
        put("vault_header", name, 0, header.serialize(), false);
    }
    std::ifstream in(fs::path(COFFER_SOURCE_DIR) / "tests/data/vault-v1.coffer", std::ios::binary);
    std::array<char, VaultHeader::kSize> fixture{};
    in.read(fixture.data(), fixture.size());
    put("vault_header", "vault-v1-fixture", 0, std::as_bytes(std::span(fixture)), false);
    put("vault_header", "plain-sqlite", 0, std::string_view("SQLite format 3\0", 16));
}

struct Scenario {
    Person ada = coffer::test::makePerson(1, "Ada");
    Person bob = coffer::test::makePerson(2, "Bob");
    Person carol = coffer::test::makePerson(3, "Carol");
    Person dave = coffer::test::makePerson(4, "Dave");
    std::vector<p::RosterEvent> events;
    std::vector<p::Grant> grants;
    std::vector<p::ChangeRecord> records;
    std::vector<p::Change> changes;
    p::EnvironmentId environment = filled<16>(0x21);
    coffer::crypto::AeadKey key = coffer::crypto::AeadKey::fromBytes(filled<32>(0xe1));

    Scenario() {
        events.push_back(coffer::test::makeGenesis(ada));
        const p::TeamId team = p::teamIdOf(events.front());
        const auto append = [&](p::RosterEventKind kind, const Person& subject, p::Role role, const Person& signer) {
            events.push_back(coffer::test::makeEvent(
                team, p::Head{events.back().seq, p::rosterEventHash(events.back())}, kind, subject, role, signer));
        };
        append(p::RosterEventKind::Add, bob, p::Role::Admin, ada);
        append(p::RosterEventKind::Add, carol, p::Role::Member, bob);
        append(p::RosterEventKind::Add, dave, p::Role::Member, ada);
        append(p::RosterEventKind::RoleChange, carol, p::Role::Admin, ada);
        append(p::RosterEventKind::Remove, dave, p::Role::Member, bob);

        const auto grant = [&](const Person& admin, const Person& member, p::Access access) {
            p::Grant g;
            g.team = team;
            g.environment = environment;
            g.epoch = 1;
            g.member = member.id;
            g.access = access;
            g.sealedKey = coffer::crypto::seal(member.box.publicKey, key.bytes());
            g.rosterSeq = 3;
            g.rosterHead = p::rosterEventHash(events[3]);
            g.admin = admin.id;
            p::signGrant(g, admin.sign.secretKey);
            grants.push_back(std::move(g));
        };
        grant(ada, ada, p::Access::Write);
        grant(ada, carol, p::Access::Write);
        grant(bob, dave, p::Access::Read);

        const auto batch = [&](const Person& author, std::size_t count) {
            const p::Head head =
                records.empty() ? p::Head{} : p::Head{records.back().seq, p::recordHash(records.back())};
            std::vector<p::ChangeRecord> more(count);
            std::vector<p::Change> batchChanges(count);
            for (std::size_t i = 0; i < count; ++i) {
                more[i].team = team;
                more[i].environment = environment;
                more[i].epoch = 1;
                more[i].id = filled<16>(static_cast<std::uint8_t>(records.size() + i + 1));
                more[i].author = author.id;
                batchChanges[i].op = i == 1 ? p::ChangeOp::Delete : p::ChangeOp::Set;
                batchChanges[i].name = "SECRET_" + std::to_string(records.size() + i);
                if (batchChanges[i].op == p::ChangeOp::Set)
                    batchChanges[i].value = coffer::crypto::SecureBuffer::copyOf(std::string_view("value\n\x01"));
                batchChanges[i].note = "rotated";
                batchChanges[i].baseRecord = filled<16>(static_cast<std::uint8_t>(i));
            }
            p::sealAndSignBatch(more, batchChanges, head, key, author.sign.secretKey);
            for (std::size_t i = 0; i < count; ++i) {
                records.push_back(std::move(more[i]));
                changes.push_back(std::move(batchChanges[i]));
            }
        };
        batch(ada, 2);
        batch(carol, 1);
    }
};

/// The seeds must reach past the checks they are meant to exercise: the scenario verifies end to end.
void checkScenario(const Scenario& s) {
    const auto fail = [](const char* what) {
        std::cerr << "seed scenario does not verify: " << what << '\n';
        std::exit(1);
    };
    auto roster = p::verifyRoster(s.events);
    if (!roster)
        fail("roster");
    for (const auto& grant : s.grants) {
        if (!p::verifyGrant(grant, *roster))
            fail("grant");
    }
    p::LogVerifier verifier(roster->team(), s.environment, p::Head{}, *roster,
                            [](const p::MemberId&, std::uint64_t) { return true; });
    if (!verifier.verify(s.records))
        fail("records");
}

void protocolSeeds(const Scenario& s) {
    checkScenario(s);
    for (std::size_t i = 0; i < s.events.size(); ++i)
        put("canonical", "roster-" + std::to_string(i), 0, p::encode(s.events[i]));
    for (std::size_t i = 0; i < s.grants.size(); ++i)
        put("canonical", "grant-" + std::to_string(i), 1, p::encode(s.grants[i]));
    for (std::size_t i = 0; i < s.records.size(); ++i) {
        put("canonical", "record-" + std::to_string(i), 2, p::encode(s.records[i]));
        put("canonical", "change-" + std::to_string(i), 3, p::encodeChange(s.changes[i]).bytes());
    }

    put("json", "head", 0, p::toJson(p::Head{5, p::rosterEventHash(s.events[5])}).dump());
    put("json", "identity", 1, p::toJson(s.ada.identity).dump());
    put("json", "roster-genesis", 2, p::toJson(s.events[0]).dump());
    put("json", "roster-remove", 2, p::toJson(s.events[5]).dump());
    put("json", "grant", 3, p::toJson(s.grants[0]).dump());
    put("json", "record-unsigned", 4, p::toJson(s.records[0]).dump());
    put("json", "record-signed", 4, p::toJson(s.records[1]).dump());
    put("json", "base64url", 5, p::base64url(s.events[0].signature.span()));
    put("json", "hex", 6, p::hex(s.ada.id.span()));
    put("json", "nested", 2, std::string(20, '[') + std::string(20, ']'));

    std::vector<std::pair<std::uint8_t, std::vector<std::byte>>> all;
    for (const auto& event : s.events)
        all.emplace_back(0, p::encode(event));
    for (const auto& grant : s.grants)
        all.emplace_back(1, p::encode(grant));
    for (const auto& record : s.records)
        all.emplace_back(2, p::encode(record));
    put("verify", "team", 0, frames(all), false);
    std::vector<std::pair<std::uint8_t, std::vector<std::byte>>> pinned(all.begin(), all.begin() + 4);
    const p::Hash hash = p::rosterEventHash(s.events[3]);
    std::vector<std::byte> headBytes(8);
    for (int i = 0; i < 8; ++i)
        headBytes[static_cast<std::size_t>(i)] = static_cast<std::byte>(i == 7 ? 3 : 0);
    headBytes.insert(headBytes.end(), hash.bytes.begin(), hash.bytes.end());
    pinned.emplace_back(3, headBytes);
    put("verify", "roster-pinned", 0, frames(pinned), false);

    const auto request = [](const std::string& name, std::string_view method, std::string_view path,
                            std::string_view query, std::string_view body, const Person& signer, bool session) {
        auto headers = p::signRequest(method, path, query, body, signer.sign, session, 1'800'000'000);
        std::string text = std::string(method) + '\n' + std::string(path) + '\n' + std::string(query) + '\n' +
                           (session ? "S" : "K") + '\n' +
                           headers[std::string(session ? p::kHeaderSession : p::kHeaderKey)] + '\n' +
                           headers[std::string(p::kHeaderTime)] + '\n' + headers[std::string(p::kHeaderNonce)] + '\n' +
                           headers[std::string(p::kHeaderSignature)] + '\n' + std::string(body);
        put("request_auth", name, 0, std::as_bytes(std::span<const char>(text.data(), text.size())), false);
    };
    request("device-post", "POST", "/v1/sessions", "", R"({"team":"00","expiresAt":1})", s.ada, false);
    request("session-get", "GET", "/v1/teams/00/environments/11/records", "after=0&limit=100", "", s.bob, true);
}

void wireSeeds() {
    // Program: tag, u8, u32, u64, i64, bytes, text, fixed<32>, unbounded bytes.
    std::vector<std::byte> program{std::byte{9}, std::byte{7}, std::byte{0}, std::byte{1}, std::byte{2},
                                   std::byte{3}, std::byte{4}, std::byte{5}, std::byte{6}, std::byte{8}};
    p::WireWriter data("coffer/roster-event/v1");
    data.u8(2).u32(70000).u64(1ULL << 40).i64(-5);
    data.bytes(std::as_bytes(std::span("abc", 3))).text("héllo").fixed(filled<32>(0x33)).text("");
    program.insert(program.end(), data.data().begin(), data.data().end());
    put("wire", "every-op", 0, program, false);
    std::vector<std::byte> truncated{std::byte{2}, std::byte{2}, std::byte{4}, std::byte{0}, std::byte{0}};
    put("wire", "truncated", 0, truncated, false);
}

/// Requests for the server target (FuzzServer.cpp): frames of kind = signer (0 nobody, 1 Ada, 2 Bob,
/// 3 Carol, 4 Eve, 5 Dave), text "METHOD TARGET\nBODY", {team} and {env} expanded by the harness.
void serverSeeds() {
    using coffer::fuzz::FuzzTeam;
    const FuzzTeam t;
    using Frame = std::pair<std::uint8_t, std::vector<std::byte>>;
    const auto request = [](std::uint8_t signer, const std::string& line, const std::string& body = {}) {
        const std::string text = line + '\n' + body;
        const auto bytes = std::as_bytes(std::span<const char>(text.data(), text.size()));
        return Frame{signer, std::vector<std::byte>(bytes.begin(), bytes.end())};
    };
    const auto seed = [](const std::string& name, const std::vector<Frame>& list) {
        put("server", name, 0, frames(list), false);
    };

    // Two sealed and signed records by Ada onto the empty log, at epoch 1.
    std::vector<p::ChangeRecord> records(2);
    std::vector<p::Change> changes(2);
    for (std::size_t i = 0; i < records.size(); ++i) {
        records[i].team = t.team;
        records[i].environment = t.environment;
        records[i].epoch = 1;
        records[i].id = filled<16>(static_cast<std::uint8_t>(0x40 + i));
        records[i].author = t.ada.id;
        changes[i].name = "API_KEY_" + std::to_string(i);
        changes[i].value = coffer::crypto::SecureBuffer::copyOf(std::string_view("s3cret"));
    }
    p::sealAndSignBatch(records, changes, p::Head{}, t.environmentKey, t.ada.sign.secretKey);
    const nlohmann::json push{{"expectedHead", p::toJson(p::Head{})},
                              {"records", {p::toJson(records[0]), p::toJson(records[1])}}};
    seed("push-pull", {request(1, "POST /v1/teams/{team}/environments/{env}/records", push.dump()),
                       request(3, "GET /v1/teams/{team}/environments/{env}/records?after=0&limit=1"),
                       request(2, "GET /v1/teams/{team}/environments/{env}/records?after=1&limit=10")});
    seed("push-read-only", {request(3, "POST /v1/teams/{team}/environments/{env}/records", push.dump())});

    const nlohmann::json addDave{
        {"expectedHead", p::toJson(t.head())},
        {"events", {p::toJson(t.next(p::RosterEventKind::Add, t.dave, p::Role::Member, t.bob))}}};
    seed("roster",
         {request(3, "GET /v1/teams/{team}/roster?from=0"), request(2, "POST /v1/teams/{team}/roster", addDave.dump()),
          request(1, "GET /v1/teams/{team}/roster?from=2")});
    const nlohmann::json demote{
        {"expectedHead", p::toJson(t.head())},
        {"events", {p::toJson(t.next(p::RosterEventKind::RoleChange, t.ada, p::Role::Member, t.bob))}}};
    seed("roster-refused", {request(2, "POST /v1/teams/{team}/roster", demote.dump())});

    const nlohmann::json grants{{"grants", {p::toJson(t.grant(t.bob, t.carol, p::Access::Write))}}};
    seed("grants", {request(2, "PUT /v1/teams/{team}/grants", grants.dump()), request(3, "GET /v1/teams/{team}/grants"),
                    request(1, "GET /v1/teams/{team}/grants?environment={env}")});

    const std::string inviteHash =
        coffer::crypto::toHex(coffer::crypto::blake2b(coffer::crypto::asBytes(coffer::fuzz::kInviteCode)).span());
    const nlohmann::json invite{{"codeHash", inviteHash}, {"expiresAt", coffer::fuzz::kServerNow + 3600}};
    const nlohmann::json accept{{"code", coffer::fuzz::kInviteCode}, {"identity", p::toJson(t.dave.identity)}};
    seed("invite", {request(1, "POST /v1/teams/{team}/invites", invite.dump()),
                    request(5, "POST /v1/teams/{team}/invites/accept", accept.dump()),
                    request(2, "GET /v1/teams/{team}/invites/accepted")});

    const nlohmann::json session{{"team", p::hex(t.team.span())},
                                 {"sessionKey", p::hex(t.eve.identity.signKey.span())},
                                 {"expiresAt", coffer::fuzz::kServerNow + 60}};
    seed("session", {request(1, "POST /v1/sessions", session.dump())});
    seed("access-log", {request(1, "GET /v1/teams/{team}/access-log?since=0&limit=10")});
    // A second team by Eve: refused for its code; then Ada's own genesis again: the team exists.
    p::RosterEvent eveGenesis;
    eveGenesis.kind = p::RosterEventKind::Genesis;
    eveGenesis.subject = t.eve.identity;
    eveGenesis.role = p::Role::Owner;
    eveGenesis.signer = t.eve.id;
    eveGenesis.time = coffer::fuzz::kServerNow;
    p::signRosterEvent(eveGenesis, t.eve.sign.secretKey);
    const nlohmann::json create{{"code", "wrong-code"}, {"genesis", p::toJson(eveGenesis)}};
    const nlohmann::json again{{"code", coffer::fuzz::kTeamCode}, {"genesis", p::toJson(t.events[0])}};
    seed("create-team", {request(4, "POST /v1/teams", create.dump()), request(1, "POST /v1/teams", again.dump()),
                         request(4, "GET /v1/teams/{team}/roster")});
    seed("unauthenticated", {request(0, "GET /healthz"), request(0, "GET /metrics"),
                             request(0, "GET /v1/teams/{team}/roster"), request(0, "DELETE /nowhere", "{}")});
}

} // namespace

int main() {
    dotenvSeeds();
    vaultHeaderSeeds();
    protocolSeeds(Scenario{});
    wireSeeds();
    serverSeeds();
    std::cout << "seeds written under " << kFuzzDir.string() << '\n';
    return 0;
}
