// SPDX-License-Identifier: Apache-2.0
#include "server/Commands.h"

#include "server/Api.h"
#include "server/Clock.h"
#include "server/Codes.h"
#include "server/Config.h"
#include "server/HttpServer.h"
#include "server/RequestLog.h"
#include "server/Store.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <pthread.h>

namespace coffer::server {

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void printError(std::string_view message) {
    std::fprintf(stderr, "coffer-server: %.*s\n", static_cast<int>(message.size()), message.data());
}

std::string describe(const StoreError& error) {
    const char* kind = "database error";
    switch (error.code) {
    case StoreErrorCode::Unavailable:
        kind = "database unavailable";
        break;
    case StoreErrorCode::Corrupt:
        kind = "database corrupt";
        break;
    case StoreErrorCode::Migration:
        kind = "database migration failed";
        break;
    case StoreErrorCode::Invalid:
        break;
    }
    return error.detail.empty() ? std::string(kind) : std::string(kind) + ": " + error.detail;
}

int teamCode(const Config& config, std::int64_t validHours) {
    // Runs next to a serving instance on the same SQLite file: no single-instance lock.
    StoreOptions options;
    options.instanceLock = false;
    auto store = openStore(config.database, options);
    if (!store) {
        printError(describe(store.error()));
        return kExitFailure;
    }
    const std::string code = makeTeamCode();
    const std::int64_t expiresAt = SystemClock{}.unixSeconds() + validHours * 3600;
    if (auto added = (*store)->addTeamCode(codeHash(code), expiresAt); !added) {
        printError(describe(added.error()));
        return kExitFailure;
    }
    // The only place the code ever appears: stdout, once. Never a log line or an argument.
    std::printf("%s\n", code.c_str());
    std::fflush(stdout);
    return 0;
}

int migrate(const Config& config) {
    auto store = openStore(config.database); // opening migrates
    if (!store) {
        printError(describe(store.error()));
        return kExitFailure;
    }
    auto version = (*store)->schemaVersion();
    if (!version) {
        printError(describe(version.error()));
        return kExitFailure;
    }
    std::printf("schema version %d\n", *version);
    std::fflush(stdout);
    return 0;
}

int serve(const Config& config) {
    auto address = parseListen(config.listen);
    if (!address) {
        printError("listen: " + address.error());
        return kExitUsage;
    }

    // SIGTERM and SIGINT are blocked in every thread (the HTTP threads inherit this mask) and taken
    // synchronously by one waiting thread, which may call stop(): nothing runs in a signal handler.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up is the write's error, not the process's death

    auto store = openStore(config.database);
    if (!store) {
        printError(describe(store.error()));
        return kExitFailure;
    }
    SystemClock clock;
    RequestLog log(config.logRequests);
    Api api(**store, clock, config.limits, log);
    HttpServerOptions options;
    options.host = address->host;
    options.port = address->port;
    options.tlsCert = config.tlsCert;
    options.tlsKey = config.tlsKey;
    options.readTimeoutSeconds = config.readTimeoutSeconds;
    options.writeTimeoutSeconds = config.writeTimeoutSeconds;
    options.threads = config.threads;
    options.maxBodyBytes = config.limits.maxBodyBytes;
    HttpServer server(api, options);
    auto port = server.bind();
    if (!port) {
        printError(port.error());
        return kExitFailure;
    }
    const bool v6 = address->host.find(':') != std::string::npos;
    std::printf("listening on %s%s%s:%d\n", v6 ? "[" : "", address->host.c_str(), v6 ? "]" : "", *port);
    std::fflush(stdout);

    std::atomic<bool> finished{false};
    std::thread waiter([&] {
        const timespec tick{0, 200'000'000};
        while (!finished.load()) {
            if (sigtimedwait(&stopSignals, nullptr, &tick) > 0) {
                server.stop();
                return;
            }
        }
    });
    const bool ran = server.run();
    finished = true;
    waiter.join();
    return ran ? 0 : kExitFailure;
}

} // namespace

int runCommand(int argc, char** argv, std::string_view version) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i)
        args.emplace_back(argv[i]);
    auto commandLine = parseCommandLine(args);
    if (!commandLine) {
        printError(commandLine.error());
        std::fputs("Try 'coffer-server --help'.\n", stderr);
        return kExitUsage;
    }
    switch (commandLine->command) {
    case Command::Help:
        std::fputs(usageText().c_str(), stdout);
        return 0;
    case Command::Version:
        std::printf("coffer-server %.*s\n", static_cast<int>(version.size()), version.data());
        return 0;
    default:
        break;
    }
    auto config = loadConfig(*commandLine);
    if (!config) {
        printError(config.error());
        return kExitUsage;
    }
    switch (commandLine->command) {
    case Command::TeamCode:
        return teamCode(*config, commandLine->validHours);
    case Command::Migrate:
        return migrate(*config);
    default:
        return serve(*config);
    }
}

} // namespace coffer::server
