// SPDX-License-Identifier: Apache-2.0
// coffer-server: the composition root. Start libsodium, then the command line does the rest.
#include "crypto/Sodium.h"
#include "server/Commands.h"

#include <cstdio>

int main(int argc, char** argv) {
    if (const auto ready = coffer::crypto::initialize(); !ready) {
        static_cast<void>(std::fputs("coffer-server: the cryptography library could not start\n", stderr));
        return 1;
    }
    return coffer::server::runCommand(argc, argv, COFFER_VERSION);
}
