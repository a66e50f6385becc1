// SPDX-License-Identifier: Apache-2.0
// coffer-cli's front end (FrontEnd.h): harden first, answer `get` and `ls PROJECT/ENV` from a running agent without
// loading Qt, and exec the full CLI for everything else.
#include "agent/core/Sockets.h"
#include "app/coffer-cli/FrontEnd.h"
#include "crypto/ProcessHardening.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <unistd.h>

int main(int argc, char** argv) {
    using namespace coffer::cli::front;
    if (const auto hardened = coffer::crypto::hardenProcess(); !hardened) {
        const auto reason = coffer::crypto::describe(hardened.error());
        std::fprintf(stderr, "coffer-cli: cannot protect this process's memory (%.*s); refusing to handle secrets\n",
                     static_cast<int>(reason.size()), reason.data());
        return 5;
    }
    const std::span<const char* const> args(argv + 1, static_cast<std::size_t>(argc > 0 ? argc - 1 : 0));
    if (const auto request = parseGet(args)) {
        if (const auto vault = canonicalVault(request->vaultOption)) {
            if (const auto exitCode = answerGet(*request, *vault, coffer::agent::sockets::defaultSocketPath())) {
                return *exitCode;
            }
        }
    } else if (const auto listing = parseList(args)) {
        if (const auto vault = canonicalVault(listing->vaultOption)) {
            if (const auto exitCode = answerList(*listing, *vault, coffer::agent::sockets::defaultSocketPath())) {
                return *exitCode;
            }
        }
    }
    const std::string full = fullCliPath();
    ::execv(full.c_str(), argv);
    std::fprintf(stderr, "coffer-cli: cannot start the full coffer-cli at %s (%s); reinstall Coffer\n",
                 full.empty() ? "(unknown)" : full.c_str(), std::strerror(errno));
    return 5;
}
