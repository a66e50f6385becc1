// SPDX-License-Identifier: Apache-2.0
#include "crypto/CryptoError.h"

namespace coffer::crypto {

std::string_view describe(Error error) noexcept {
    switch (error) {
    case Error::InitFailed:
        return "the cryptography library could not be initialised";
    case Error::OutOfMemory:
        return "secure memory is exhausted";
    case Error::InvalidArgument:
        return "invalid size or parameter";
    case Error::Failed:
        // Deliberately one message for every cause: which check failed must not be observable.
        return "decryption or verification failed";
    }
    return "unknown crypto error";
}

} // namespace coffer::crypto
