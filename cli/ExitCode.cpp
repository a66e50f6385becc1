// SPDX-License-Identifier: Apache-2.0
#include "cli/ExitCode.h"

namespace coffer::cli {

ExitCode exitCodeFor(model::ErrorCode code) noexcept {
    using model::ErrorCode;
    switch (code) {
    case ErrorCode::NotFound:
        return ExitCode::NotFound;
    case ErrorCode::WrongPassword:
        return ExitCode::WrongPassword;
    case ErrorCode::NotAVault:
    case ErrorCode::Damaged:
    case ErrorCode::NewerFormat:
        return ExitCode::Damaged;
    // Both come straight from what was typed on the command line.
    case ErrorCode::InvalidName:
    case ErrorCode::KdfOutOfPolicy:
        return ExitCode::Usage;
    // A missing vault file is not "not found": exit 2 is kept for things inside an open vault, so a
    // script never mistakes a wrong --vault for a missing secret.
    case ErrorCode::FileMissing:
    case ErrorCode::PermissionDenied:
    case ErrorCode::AlreadyExists:
    case ErrorCode::NotEmpty:
    case ErrorCode::TooLarge:
    case ErrorCode::Locked:
    case ErrorCode::Io:
    case ErrorCode::ReferenceCycle:
        return ExitCode::Failed;
    // The same refusal the server would give a forced push: exit 7 like a sync refused for lack of access.
    case ErrorCode::ReadOnly:
        return ExitCode::Refused;
    }
    return ExitCode::Failed;
}

Failure failure(const model::Error& error) {
    return Failure{exitCodeFor(error.code), error.message()};
}

} // namespace coffer::cli
