// SPDX-License-Identifier: Apache-2.0
// Load generator for coffer-server: authenticates like a real client (a member per connection, each
// with a session key signing every request), then runs N concurrent keep-alive connections for D
// seconds per phase and reports requests/s, records/s and p50/p99 latency.
//   pull, up to date   GET …/records?after=HEAD          (the poll a synced client makes; no records)
//   pull, 10 new       GET …/records?after=HEAD-10       (catching up a few changes)
//   pull, page of 100  GET …/records?after=K*100&limit=100
//   push, batch of B   POST …/records, each connection appending to its own environment (batches
//                      prepared before the phase)
// Targets (docs/benchmarks.md, "Server"): >= 5,000 authenticated pulls/s and >= 1,000 pushed records/s on
// SQLite. Every answer must be 200: anything else is counted and reported as an error.
#include "crypto/Random.h"
#include "sync/protocol/Json.h"
#include "tests/server/client/ApiClient.h"
#include "tests/server/client/ProtocolBuilders.h"
#include "tests/server/client/TestTeam.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <time.h>
#include <unistd.h>

namespace {

using namespace coffer;
using namespace coffer::tests;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string teamCode;
    int connections = 8;
    int seconds = 10;
    std::size_t records = 2000; ///< in the environment the pulls read
    std::size_t batch = 10;     ///< records per push
    std::string phases = "poll,new10,page100,push";
    int serverPid = 0; ///< when given, the server's CPU time per request is reported too
};

[[noreturn]] void usage(const char* error) {
    std::fprintf(
        stderr,
        "%s\nUsage: coffer_bench_server --server HOST:PORT --team-code-file FILE|- [--connections N] [--seconds D]\n"
        "       [--records N] [--batch B] [--phases poll,new10,page100,push] [--server-pid PID]\n"
        "The team code (a file, or - for stdin) comes from `coffer-server team-code --database URL`.\n"
        "Raise the server's rate_limit_per_second/rate_limit_burst first (see bench/server/run.sh).\n",
        error);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) {
            usage(("missing value for " + arg).c_str());
        }
        const std::string value = argv[++i];
        if (arg == "--server") {
            const auto colon = value.rfind(':');
            if (colon == std::string::npos) {
                usage("--server takes HOST:PORT");
            }
            options.host = value.substr(0, colon);
            options.port = std::atoi(value.c_str() + colon + 1);
        } else if (arg == "--team-code-file") {
            // A code never goes on a command line (argv is visible to every user): a file, or "-" for stdin.
            std::FILE* file = value == "-" ? stdin : std::fopen(value.c_str(), "r");
            if (file == nullptr) {
                usage(("cannot read " + value).c_str());
            }
            std::array<char, 512> line{};
            if (std::fgets(line.data(), static_cast<int>(line.size()), file) != nullptr) {
                options.teamCode = line.data();
            }
            if (file != stdin) {
                std::fclose(file);
            }
            while (!options.teamCode.empty() && (options.teamCode.back() == '\n' || options.teamCode.back() == '\r')) {
                options.teamCode.pop_back();
            }
        } else if (arg == "--connections") {
            options.connections = std::max(1, std::atoi(value.c_str()));
        } else if (arg == "--seconds") {
            options.seconds = std::max(1, std::atoi(value.c_str()));
        } else if (arg == "--records") {
            options.records = std::max<std::size_t>(200, std::strtoul(value.c_str(), nullptr, 10) / 100 * 100);
        } else if (arg == "--batch") {
            options.batch = std::clamp<std::size_t>(std::strtoul(value.c_str(), nullptr, 10), 1, 1000);
        } else if (arg == "--server-pid") {
            options.serverPid = std::atoi(value.c_str());
        } else if (arg == "--phases") {
            options.phases = value;
        } else {
            usage(("unknown option " + arg).c_str());
        }
    }
    if (options.port <= 0 || options.teamCode.empty()) {
        usage("--server and --team-code-file are required");
    }
    return options;
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "coffer_bench_server: %s\n", what.c_str());
    std::exit(1);
}

/// CPU seconds (user + system) a process has used: /proc/PID/stat, fields 14 and 15.
double processCpuSeconds(int pid) {
    std::FILE* file = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    if (file == nullptr) {
        return 0;
    }
    std::array<char, 4096> text{};
    const std::size_t size = std::fread(text.data(), 1, text.size() - 1, file);
    std::fclose(file);
    const std::string line(text.data(), size);
    const auto paren = line.rfind(')');
    if (paren == std::string::npos) {
        return 0;
    }
    // After "pid (comm)": state is field 3, utime field 14, stime field 15.
    std::istringstream fields(line.substr(paren + 2));
    std::string field;
    double ticks = 0;
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index >= 14) {
            ticks += std::strtod(field.c_str(), nullptr);
        }
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double selfCpuSeconds() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

/// What one connection measured in one phase.
struct Sample {
    std::vector<double> latenciesMs;
    std::size_t records = 0;
    std::map<int, std::size_t> errors; ///< status -> count
};

struct World {
    std::unique_ptr<ApiClient> admin;
    std::unique_ptr<TestTeam> team;
    std::vector<TestMember> members; ///< one per connection
    protocol::EnvironmentId pullEnvironment{};
    protocol::Head pullHead{};
    std::vector<protocol::EnvironmentId> pushEnvironments; ///< one per connection
    std::optional<crypto::AeadKey> key;
};

World setUp(const Options& options) {
    World world;
    world.admin = std::make_unique<ApiClient>(options.host, options.port);
    world.team = std::make_unique<TestTeam>(*world.admin, TestMember::create("Bench owner"));
    auto& team = *world.team;
    if (auto created = team.create(options.teamCode); created.status != 201) {
        die("create team: " + created.describe());
    }
    world.key = crypto::AeadKey::keygen();
    world.pullEnvironment = randomEnvironment();
    if (auto r = team.grant(team.owner(), world.pullEnvironment, 1, protocol::Access::Write, *world.key);
        r.status != 200) {
        die("grant: " + r.describe());
    }
    // The environment every pull reads, filled in batches of 100.
    for (std::size_t done = 0; done < options.records; done += 100) {
        auto batch = makeBatch(team.id(), world.pullEnvironment, 1, team.owner(), *world.key, world.pullHead, 100, 64);
        if (auto r = team.push(*world.admin, team.ownerSigner(), world.pullEnvironment, world.pullHead, batch);
            r.status != 200) {
            die("populate: " + r.describe());
        }
        world.pullHead = headAfter(batch);
    }
    world.members.reserve(static_cast<std::size_t>(options.connections));
    for (int i = 0; i < options.connections; ++i) {
        world.members.push_back(TestMember::create("Bench client " + std::to_string(i)));
        auto& member = world.members.back();
        if (auto added = team.addMember(*world.admin, member); !added) {
            die("add member: " + added.error());
        }
    }
    // Grants after the last roster change, so every grant names the current roster head.
    for (auto& member : world.members) {
        world.pushEnvironments.push_back(randomEnvironment());
        for (const auto& [environment, access] : {std::pair{world.pullEnvironment, protocol::Access::Read},
                                                  std::pair{world.pushEnvironments.back(), protocol::Access::Write}}) {
            if (auto r = team.grant(member, environment, 1, access, *world.key); r.status != 200) {
                die("grant: " + r.describe());
            }
        }
        if (auto r = team.openSession(*world.admin, member); r.status != 200) {
            die("session: " + r.describe());
        }
    }
    return world;
}

/// One phase: every connection's samples, and the CPU the server and this load generator spent.
struct Phase {
    std::vector<Sample> samples;
    double serverCpuSeconds = 0;
    double clientCpuSeconds = 0;
};

/// Runs `request` in a loop on every connection until the phase ends.
template <typename Request> Phase runPhase(const Options& options, const World& world, Request&& request) {
    Phase phase;
    auto& samples = phase.samples;
    samples.resize(static_cast<std::size_t>(options.connections));
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    const auto duration = std::chrono::seconds(options.seconds);
    for (int i = 0; i < options.connections; ++i) {
        threads.emplace_back([&, i] {
            const auto index = static_cast<std::size_t>(i);
            ApiClient client(world.admin->host(), world.admin->port());
            auto& sample = samples[index];
            sample.latenciesMs.reserve(200'000);
            while (!go.load()) {
                std::this_thread::yield();
            }
            const auto end = Clock::now() + duration;
            for (std::size_t n = 0; Clock::now() < end; ++n) {
                const auto start = Clock::now();
                const auto [status, records] = request(client, index, n);
                sample.latenciesMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
                if (status == 200) {
                    sample.records += records;
                } else {
                    ++sample.errors[status];
                }
            }
        });
    }
    const double serverBefore = options.serverPid > 0 ? processCpuSeconds(options.serverPid) : 0;
    const double clientBefore = selfCpuSeconds();
    go = true;
    for (auto& thread : threads) {
        thread.join();
    }
    phase.clientCpuSeconds = selfCpuSeconds() - clientBefore;
    phase.serverCpuSeconds = options.serverPid > 0 ? processCpuSeconds(options.serverPid) - serverBefore : 0;
    return phase;
}

void report(const Options& options, const std::string& name, const Phase& phase) {
    const auto& samples = phase.samples;
    std::vector<double> all;
    std::size_t records = 0;
    std::map<int, std::size_t> errors;
    for (const auto& sample : samples) {
        all.insert(all.end(), sample.latenciesMs.begin(), sample.latenciesMs.end());
        records += sample.records;
        for (const auto& [status, count] : sample.errors) {
            errors[status] += count;
        }
    }
    std::sort(all.begin(), all.end());
    const auto percentile = [&](double p) {
        return all.empty()
                   ? 0.0
                   : all[std::min(all.size() - 1, static_cast<std::size_t>(p * static_cast<double>(all.size())))];
    };
    std::string errorText;
    for (const auto& [status, count] : errors) {
        errorText +=
            " " + std::to_string(count) + "x" + (status == 0 ? std::string("no-answer") : std::to_string(status));
    }
    const double seconds = options.seconds;
    const double requests = std::max<double>(1, static_cast<double>(all.size()));
    std::printf("%-22s %9zu %10.0f %11.0f %8.2f %8.2f %8.0f %8.0f  %s\n", name.c_str(), all.size(),
                static_cast<double>(all.size()) / seconds, static_cast<double>(records) / seconds, percentile(0.5),
                percentile(0.99), phase.serverCpuSeconds * 1e6 / requests, phase.clientCpuSeconds * 1e6 / requests,
                errorText.empty() ? "none" : errorText.c_str());
    std::fflush(stdout);
}

std::pair<int, std::size_t> pull(ApiClient& client, const World& world, std::size_t index, std::uint64_t after) {
    const auto& member = world.members[index];
    const auto response =
        world.team->pull(client, Signer::sessionKey(*member.session), world.pullEnvironment, after, 100);
    std::size_t count = 0;
    if (response.status == 200) {
        const auto json = response.json();
        count = json.is_object() && json.contains("records") ? json["records"].size() : 0;
    }
    return {response.status, count};
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    std::printf("coffer_bench_server: %s:%d, %d connections, %d s per phase, %zu records to pull from, pushes of %zu\n",
                options.host.c_str(), options.port, options.connections, options.seconds, options.records,
                options.batch);
    World world = setUp(options);
    std::printf("%-22s %9s %10s %11s %8s %8s %8s %8s  %s\n", "phase", "requests", "req/s", "records/s", "p50 ms",
                "p99 ms", "srv us", "cli us", "errors");

    const auto wants = [&](const char* phase) {
        return ("," + options.phases + ",").find("," + std::string(phase) + ",") != std::string::npos;
    };
    const std::uint64_t head = world.pullHead.seq;
    if (wants("poll")) {
        report(options, "pull, up to date", runPhase(options, world, [&](ApiClient& c, std::size_t i, std::size_t) {
                   return pull(c, world, i, head);
               }));
    }
    if (wants("new10")) {
        report(options, "pull, 10 new", runPhase(options, world, [&](ApiClient& c, std::size_t i, std::size_t) {
                   return pull(c, world, i, head - 10);
               }));
    }
    if (wants("page100")) {
        const std::uint64_t pages = head / 100;
        report(options, "pull, page of 100", runPhase(options, world, [&](ApiClient& c, std::size_t i, std::size_t n) {
                   return pull(c, world, i, ((n * 7 + i) % pages) * 100);
               }));
    }
    if (wants("push")) {
        // Each connection appends to its own environment. Its batches are built (encrypted, chained,
        // signed, serialised) before the phase, so that the load generator's own crypto (guarded memory
        // for every change) does not take the cores from the server; a connection that runs out builds
        // more as it goes.
        const auto connections = static_cast<std::size_t>(options.connections);
        struct Prepared {
            std::vector<std::string> bodies;
            protocol::Head head{}; ///< after the last prepared batch
        };
        std::vector<Prepared> prepared(connections);
        const auto prepare = [&](std::size_t i, std::size_t count) {
            auto& mine = prepared[i];
            for (std::size_t b = 0; b < count; ++b) {
                auto batch = makeBatch(world.team->id(), world.pushEnvironments[i], 1, world.members[i], *world.key,
                                       mine.head, options.batch, 64);
                mine.bodies.push_back(nlohmann::json{
                    {"expectedHead", protocol::toJson(mine.head)},
                    {"records",
                     recordsJson(batch)}}.dump());
                mine.head = headAfter(batch);
            }
        };
        std::vector<std::thread> builders;
        for (std::size_t i = 0; i < connections; ++i) {
            builders.emplace_back(prepare, i, static_cast<std::size_t>(options.seconds) * 50);
        }
        for (auto& builder : builders) {
            builder.join();
        }
        report(options, "push, batch of " + std::to_string(options.batch),
               runPhase(options, world, [&](ApiClient& c, std::size_t i, std::size_t n) -> std::pair<int, std::size_t> {
                   if (n >= prepared[i].bodies.size()) {
                       prepare(i, 1);
                   }
                   const auto response = c.send("POST", world.team->recordsPath(world.pushEnvironments[i]), {},
                                                prepared[i].bodies[n], Signer::sessionKey(*world.members[i].session));
                   return {response.status, options.batch};
               }));
    }
    return 0;
}
