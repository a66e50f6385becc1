// SPDX-License-Identifier: Apache-2.0
// The server's request handling in process: coffer::server::Api over a SQLite store in a temporary
// folder, with a fixed clock. Every input starts from a copy of the same database (FuzzTeam.h's team,
// created through the API once per process), so an input always replays the same way.
// Input: frames (FuzzSupport.h), one request each. The frame kind chooses who signs it: 0 nobody (the
// text is sent as it is), 1 Ada (owner), 2 Bob (admin), 3 Carol (member), 4 Eve and 5 Dave (not members); the
// harness signs with a fresh nonce, so the fuzzer reaches past authentication. The frame text is
// "METHOD TARGET\n" then the body; "{team}" and "{env}" in both are replaced by the team's ids.
// Properties: no crash, hang or leak; every response has a status the API documents (a 500 is a bug:
// an exception or a state the handler did not expect), and a JSON error body; the server keeps serving
// (GET /healthz is 200 after the input).

#include "crypto/Hash.h"
#include "server/Api.h"
#include "server/Codes.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"
#include "tests/fuzz/FuzzSupport.h"
#include "tests/fuzz/FuzzTeam.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;
namespace p = coffer::protocol;
namespace s = coffer::server;
using coffer::fuzz::check;
using coffer::fuzz::FuzzPerson;
using coffer::fuzz::FuzzTeam;

class FixedClock final : public s::Clock {
public:
    [[nodiscard]] std::int64_t unixSeconds() const override { return coffer::fuzz::kServerNow; }
    [[nodiscard]] std::int64_t monotonicNanoseconds() const override { return 1'000'000'000; }
};

const FuzzTeam& team() {
    static const FuzzTeam fuzzTeam;
    return fuzzTeam;
}

std::string replaceAll(std::string text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::string expand(std::string text) {
    text = replaceAll(std::move(text), "{team}", p::hex(team().team.span()));
    return replaceAll(std::move(text), "{env}", p::hex(team().environment));
}

s::Request signedRequest(std::string method, std::string_view target, std::string body, const FuzzPerson* signer) {
    s::Request request = s::Request::make(std::move(method), target, std::move(body));
    if (signer != nullptr) {
        for (auto& [name, value] : p::signRequest(request.method, request.path, request.query, request.body,
                                                  signer->sign, false, coffer::fuzz::kServerNow))
            request.headers[name] = value;
    }
    return request;
}

/// The folder, the template database with the team in it, and the database each input runs on.
struct Fixture {
    fs::path folder;
    fs::path templateDb;
    fs::path runDb;

    Fixture() {
        std::string pattern = (fs::temp_directory_path() / "coffer-fuzz-server.XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            std::perror("mkdtemp");
            std::abort();
        }
        folder = pattern;
        templateDb = folder / "template.db";
        runDb = folder / "run.db";
        auto store = s::openStore("sqlite:" + templateDb.string(), s::StoreOptions{false});
        check(store.has_value(), "the template store opens");
        check((*store)->addTeamCode(s::codeHash(coffer::fuzz::kTeamCode), coffer::fuzz::kServerNow + 3600).has_value(),
              "the team code is stored");
        FixedClock clock;
        s::RequestLog log(false);
        s::Api api(**store, clock, s::Limits{}, log);
        const FuzzTeam& t = team();
        const auto expect = [&](s::Request request, int status, const char* what) {
            const s::Response response = api.handle(request);
            if (response.status != status) {
                std::cerr << what << ": " << response.status << ' ' << response.body << '\n';
                std::abort();
            }
        };
        const nlohmann::json create{{"code", coffer::fuzz::kTeamCode}, {"genesis", p::toJson(t.events[0])}};
        expect(signedRequest("POST", "/v1/teams", create.dump(), &t.ada), 201, "create the team");
        const nlohmann::json roster{{"expectedHead", p::toJson(p::Head{0, p::rosterEventHash(t.events[0])})},
                                    {"events", {p::toJson(t.events[1]), p::toJson(t.events[2])}}};
        expect(signedRequest("POST", expand("/v1/teams/{team}/roster"), roster.dump(), &t.ada), 200, "add members");
        const nlohmann::json grants{
            {"grants",
             {p::toJson(t.grant(t.ada, t.ada, p::Access::Write)), p::toJson(t.grant(t.ada, t.bob, p::Access::Write)),
              p::toJson(t.grant(t.ada, t.carol, p::Access::Read))}}};
        expect(signedRequest("PUT", expand("/v1/teams/{team}/grants"), grants.dump(), &t.ada), 200, "put grants");
    }

    ~Fixture() {
        std::error_code ignored;
        fs::remove_all(folder, ignored);
    }
};

const Fixture& fixture() {
    static const Fixture instance;
    return instance;
}

const std::set<int> kDocumentedStatus{200, 201, 400, 401, 403, 404, 409, 413, 429, 503};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Fixture& f = fixture();
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
        std::error_code ignored;
        fs::remove(f.runDb.string() + suffix, ignored);
    }
    fs::copy_file(f.templateDb, f.runDb);
    auto store = s::openStore("sqlite:" + f.runDb.string(), s::StoreOptions{false});
    check(store.has_value(), "the run store opens");
    FixedClock clock;
    s::RequestLog log(false);
    s::Api api(**store, clock, s::Limits{}, log);

    // COFFER_FUZZ_VERBOSE=1 prints each response (to see how far a seed gets).
    static const bool verbose = std::getenv("COFFER_FUZZ_VERBOSE") != nullptr;
    const std::array<const FuzzPerson*, 6> signers{nullptr,       &team().ada, &team().bob,
                                                   &team().carol, &team().eve, &team().dave};
    coffer::fuzz::Frames frames(coffer::fuzz::asBytes(data, size));
    for (int count = 0; count < 16; ++count) {
        const auto frame = frames.next();
        if (!frame)
            break;
        const std::string text(reinterpret_cast<const char*>(frame->bytes.data()), frame->bytes.size());
        const auto newline = text.find('\n');
        const std::string line = text.substr(0, newline);
        const std::string body = newline == std::string::npos ? std::string() : expand(text.substr(newline + 1));
        const auto space = line.find(' ');
        const std::string method = line.substr(0, space);
        const std::string target = space == std::string::npos ? std::string("/") : expand(line.substr(space + 1));

        const s::Response response =
            api.handle(signedRequest(method, target, body, signers[frame->kind % signers.size()]));
        if (verbose)
            std::cerr << response.status << ' ' << method << ' ' << target << ' ' << response.body.substr(0, 120)
                      << '\n';
        if (!kDocumentedStatus.contains(response.status)) {
            std::cerr << "status " << response.status << " for " << method << ' ' << target << ": " << response.body
                      << '\n';
            check(false, "every response has a documented status");
        }
        if (response.status >= 400) {
            const auto json = p::parseJson(response.body);
            check(json.has_value() && json->is_object() && json->contains("error") && json->contains("message"),
                  "an error has a JSON body with error and message");
        }
    }
    const s::Response health = api.handle(s::Request::make("GET", "/healthz"));
    check(health.status == 200, "the server keeps serving");
    return 0;
}
