// SPDX-License-Identifier: Apache-2.0
// bench_sync: the team sync client at scale, against a real coffer-server on SQLite on loopback.
//   pull  bob's fresh vault syncs an environment of N records (default 100k): pull every page, verify it
//         (chain, batch signatures, write grants), decrypt and apply each change as a secret version.
//         Target < 5 s for 100k.
//   push  bob changes M secrets (default 10k) and syncs: the outbox is sealed, signed and pushed in batches.
//         Target < 3 s for 10k.
// The records are written by alice straight through ServerClient (sealAndSignBatch, 1000 per push), as her
// client would push them; their setup is not timed. Prints the numbers, and the time per phase from the
// engine's progress callbacks.
//   bench_sync [--records N] [--changes M] [--value-bytes B] [--keep DIR]
#include "crypto/Random.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "model/VaultHeader.h"
#include "sync/ServerClient.h"
#include "sync/SyncEngine.h"
#include "sync/TeamService.h"
#include "sync/TeamState.h"
#include "sync/protocol/Canonical.h"
#include "tests/server/client/ServerProcess.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace {

using namespace coffer;
using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;

struct Options {
    std::size_t records = 100'000;
    std::size_t changes = 10'000;
    std::size_t valueBytes = 32;
};

[[noreturn]] void die(const QString& what) {
    std::fprintf(stderr, "bench_sync: %s\n", qPrintable(what));
    std::exit(1);
}

template <typename T> T need(sync::Result<T> result, const char* what) {
    if (!result) {
        die(QString::fromUtf8(what) + u": "_s + result.error().message);
    }
    return std::move(*result);
}
template <typename T> T needModel(model::Result<T> result, const char* what) {
    if (!result) {
        die(QString::fromUtf8(what) + u": "_s + result.error().message());
    }
    return std::move(*result);
}

void needModel(model::Result<void> result, const char* what) {
    if (!result) {
        die(QString::fromUtf8(what) + u": "_s + result.error().message());
    }
}

double seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

/// CPU seconds (user + system) this process used so far.
double ownCpu() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// CPU seconds (user + system) another process used so far, from /proc/PID/stat.
double processCpu(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto end = text.rfind(')');
    if (end == std::string::npos) {
        return 0;
    }
    std::istringstream fields(text.substr(end + 2));
    std::string field;
    double utime = 0;
    double stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) {
            utime = std::strtod(field.c_str(), nullptr);
        } else if (i == 15) {
            stime = std::strtod(field.c_str(), nullptr);
        }
    }
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// Wall and CPU time of one measured phase, the client's and the server's.
struct Span {
    pid_t server = 0;
    Clock::time_point wall = Clock::now();
    double client = ownCpu();
    double serverCpu = processCpu(server);
    explicit Span(pid_t serverPid)
        : server(serverPid)
        , serverCpu(processCpu(serverPid)) {}
    void print(const char* what, std::size_t count, const char* target) const {
        const double elapsed = seconds(Clock::now() - wall);
        const double clientCpu = ownCpu() - client;
        const double spent = processCpu(server) - serverCpu;
        std::printf("%s: %zu in %.3f s wall (%.0f/s); CPU: client %.3f s (%.0f us each), server %.3f s (%.0f us "
                    "each); %s\n",
                    what, count, elapsed, static_cast<double>(count) / elapsed, clientCpu,
                    1e6 * clientCpu / static_cast<double>(count), spent, 1e6 * spent / static_cast<double>(count),
                    target);
    }
};

struct Person {
    QString name;
    std::unique_ptr<model::Vault> vault;
    std::unique_ptr<model::Store> store;
    std::unique_ptr<sync::SyncEngine> engine;
    std::unique_ptr<sync::TeamService> team;
};

std::unique_ptr<Person> makePerson(const QTemporaryDir& dir, const QString& name) {
    auto person = std::make_unique<Person>();
    person->name = name;
    const std::string password = "bench " + name.toStdString();
    auto vault =
        model::Vault::create(dir.filePath(name + u".coffer"_s),
                             std::as_bytes(std::span(password.data(), password.size())), model::KdfCost::minimum());
    person->vault = std::make_unique<model::Vault>(needModel(std::move(vault), "create vault"));
    person->store = std::make_unique<model::Store>(*person->vault, name);
    person->engine = std::make_unique<sync::SyncEngine>(*person->vault, *person->store);
    person->team = std::make_unique<sync::TeamService>(*person->vault, *person->store, *person->engine);
    return person;
}

/// Times each phase the engine reports ("roster", "grants", "pull", "push") from first to last callback.
struct PhaseTimer {
    std::map<QString, std::pair<Clock::time_point, Clock::time_point>> spans;
    std::vector<QString> order;
    sync::ProgressFn callback() {
        return [this](const sync::SyncProgress& progress) {
            const auto now = Clock::now();
            auto found = spans.find(progress.phase);
            if (found == spans.end()) {
                spans.emplace(progress.phase, std::pair{now, now});
                order.push_back(progress.phase);
            } else {
                found->second.second = now;
            }
        };
    }
    void print(Clock::time_point start) const {
        for (const QString& phase : order) {
            const auto& [first, last] = spans.at(phase);
            std::printf("    phase %-8s first callback at %7.3f s, last at %7.3f s\n", qPrintable(phase),
                        seconds(first - start), seconds(last - start));
        }
    }
};

void machine() {
    utsname un{};
    uname(&un);
    std::string cpu = "unknown CPU";
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);) {
        if (line.starts_with("model name")) {
            cpu = line.substr(line.find(':') + 2);
            break;
        }
    }
    double load = 0;
    std::ifstream("/proc/loadavg") >> load;
    std::printf("machine: %s, %ld online CPUs, %s %s, load average %.2f\n", cpu.c_str(), sysconf(_SC_NPROCESSORS_ONLN),
                un.sysname, un.release, load);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows when the output goes to a file
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const auto value = static_cast<std::size_t>(std::strtoull(argv[i + 1], nullptr, 10));
        if (flag == "--records") {
            options.records = value;
        } else if (flag == "--changes") {
            options.changes = value;
        } else if (flag == "--value-bytes") {
            options.valueBytes = value;
        } else {
            die(u"usage: bench_sync [--records N] [--changes M] [--value-bytes B]"_s);
        }
    }
    machine();
    QTemporaryDir dir;
    if (!dir.isValid()) {
        die(u"no temporary folder"_s);
    }
    const std::string database = "sqlite:" + dir.filePath(u"server.db"_s).toStdString();
    auto code = tests::makeTeamCode(COFFER_SERVER_PATH, database);
    if (!code) {
        die(QString::fromStdString(code.error()));
    }
    tests::ServerProcess server(COFFER_SERVER_PATH);
    tests::ServerOptions serverOptions;
    serverOptions.database = database;
    if (auto started = server.start(serverOptions); !started) {
        die(QString::fromStdString(started.error()));
    }
    const QString url = u"http://127.0.0.1:%1"_s.arg(server.port());
    std::printf("coffer-server on SQLite at %s; %zu records of %zu-byte values; %zu changes to push\n", qPrintable(url),
                options.records, options.valueBytes, options.changes);

    // Setup (not timed): alice's team, one shared environment, bob confirmed with write access.
    auto alice = makePerson(dir, u"alice"_s);
    auto bob = makePerson(dir, u"bob"_s);
    const auto team = need(
        alice->team->createTeam(url, u"bench"_s, u"alice"_s, crypto::SecureBuffer::copyOf(std::string_view(*code))),
        "createTeam");
    const auto project = needModel(alice->store->addProject(u"bench"_s), "addProject");
    const auto environment = needModel(alice->store->addEnvironment(project.id, u"dev"_s), "addEnvironment");
    const auto shared = need(alice->team->shareProject(team.team, project.id), "shareProject");
    const protocol::EnvironmentId environmentId = shared.front().id;
    const auto invite = need(alice->team->invite(team.team), "invite");
    const auto joined = need(bob->team->join(invite, u"bob"_s), "join");
    const auto members = need(alice->team->members(team.team), "members");
    for (const auto& member : members) {
        if (member.name == u"bob"_s) {
            need(alice->team->confirm(team.team, member.id, protocol::Role::Member, joined.myFingerprint), "confirm");
            need(alice->team->applyAccess(team.team,
                                          {sync::AccessChange{member.id, environment.id, protocol::Access::Write}}),
                 "applyAccess");
        }
    }

    // alice's records, straight to the server in pushes of 1000 (as her client would send them).
    {
        auto state = need(sync::TeamState::load(alice->vault->database(), team.team), "load alice's team");
        const crypto::AeadKey* key = state.key(environmentId, 1);
        if (key == nullptr) {
            die(u"alice holds no key"_s);
        }
        auto transport = need(sync::makeCurlTransport(state.transportOptions()), "transport");
        sync::ServerClient client(*transport, state.me().sign);
        auto page = need(client.pull(team.team, environmentId, 0), "pull head");
        protocol::Head head = page.head;
        const auto seedStart = Clock::now();
        std::size_t written = 0;
        while (written < options.records) {
            const std::size_t count = std::min<std::size_t>(1000, options.records - written);
            std::vector<protocol::ChangeRecord> records(count);
            std::vector<protocol::Change> changes(count);
            for (std::size_t i = 0; i < count; ++i) {
                records[i].team = team.team;
                records[i].environment = environmentId;
                records[i].epoch = 1;
                records[i].id = crypto::randomArray<16>();
                records[i].author = state.me().id;
                changes[i].op = protocol::ChangeOp::Set;
                char name[32];
                std::snprintf(name, sizeof name, "SECRET_%07zu", written + i);
                changes[i].name = name;
                changes[i].value = crypto::SecureBuffer(options.valueBytes);
                // Printable filler that differs per record (random bytes would cost a getrandom each, in setup).
                std::size_t position = 0;
                for (auto& byte : changes[i].value.bytes()) {
                    byte = static_cast<std::byte>('a' + (written + i + position++) % 26);
                }
            }
            protocol::sealAndSignBatch(records, changes, head, *key, state.me().sign.secretKey);
            head = need(client.push(team.team, environmentId, head, records), "seed push");
            written += count;
        }
        std::printf("setup: %zu records pushed by alice in %.2f s (not part of the figures)\n", written,
                    seconds(Clock::now() - seedStart));
    }

    // 1. pull + verify + apply into bob's fresh vault.
    PhaseTimer pullPhases;
    const Span pullSpan(server.pid());
    const auto pullStart = Clock::now();
    const auto pulled = need(bob->engine->syncAll(pullPhases.callback()), "bob's first sync");
    const auto pullTime = Clock::now() - pullStart;
    std::size_t applied = 0;
    for (const auto& run : pulled.environments) {
        applied += run.pulled;
        if (run.error) {
            die(u"bob's first sync: "_s + run.error->message);
        }
    }
    if (!pulled.teamErrors.empty()) {
        die(u"bob's first sync: "_s + pulled.teamErrors.front().message);
    }
    pullSpan.print("pull+verify+apply (records)", applied, "target < 5 s for 100k");
    (void)pullTime;
    pullPhases.print(pullStart);

    // 2. bob changes M secrets (not timed), then one sync pushes them.
    const auto bobProject = needModel(bob->store->project(u"bench"_s), "bob's project");
    const auto bobEnvironment = needModel(bob->store->environment(bobProject.id, u"dev"_s), "bob's environment");
    const auto editStart = Clock::now();
    needModel(bob->store->transaction([&]() -> model::Result<void> {
        for (std::size_t i = 0; i < options.changes; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "SECRET_%07zu", i);
            const std::string value = "changed by bob " + std::to_string(i);
            auto set = bob->store->setSecret(bobEnvironment.id, QString::fromLatin1(name),
                                             std::as_bytes(std::span(value.data(), value.size())));
            if (!set) {
                return std::unexpected(set.error());
            }
        }
        return {};
    }),
              "bob's edits");
    std::printf("setup: %zu local edits (outbox rows) in %.2f s (not part of the figures)\n", options.changes,
                seconds(Clock::now() - editStart));
    PhaseTimer pushPhases;
    const Span pushSpan(server.pid());
    const auto pushStart = Clock::now();
    const auto pushed = need(bob->engine->syncAll(pushPhases.callback()), "bob's push");
    const auto pushTime = Clock::now() - pushStart;
    std::size_t acknowledged = 0;
    for (const auto& run : pushed.environments) {
        acknowledged += run.pushed;
        if (run.error) {
            die(u"bob's push: "_s + run.error->message);
        }
    }
    pushSpan.print("push (changes)", acknowledged, "target < 3 s for 10k");
    (void)pushTime;
    pushPhases.print(pushStart);
    (void)server.stop();
    return 0;
}
