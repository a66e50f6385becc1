// SPDX-License-Identifier: Apache-2.0
#include "model/OpenSsl.h"

#include <openssl/crypto.h>

namespace coffer::model {

bool leaveOpenSslToProcessExit() noexcept {
    // OpenSSL settles whether to register its exit handler at its first initialisation; later calls with
    // OPENSSL_INIT_NO_ATEXIT change nothing, hence before SQLCipher or libcurl touch it.
    static const bool started = OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;
    return started;
}

} // namespace coffer::model
