// SPDX-License-Identifier: Apache-2.0
// The full coffer-cli (installed as libexec/coffer/coffer-cli-full; bin/coffer-cli is the front end in main.cpp,
// which execs this for everything it does not answer itself). The composition root: harden first (no core
// dumps, not ptrace-able), then run.
#include "cli/Cli.h"
#include "crypto/ProcessHardening.h"

#include <cstdio>

int main(int argc, char** argv) {
    if (const auto hardened = coffer::crypto::hardenProcess(); !hardened) {
        const auto reason = coffer::crypto::describe(hardened.error());
        std::fprintf(stderr, "coffer-cli: cannot protect this process's memory (%.*s); refusing to handle secrets\n",
                     static_cast<int>(reason.size()), reason.data());
        return 5;
    }
    return coffer::cli::run(argc, argv);
}
