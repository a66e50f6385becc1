// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/ProtocolError.h"

namespace coffer::protocol {

namespace {

std::string_view phrase(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::Malformed:
        return "malformed";
    case ErrorCode::UnknownVersion:
        return "unknown version";
    case ErrorCode::BadSignature:
        return "bad signature";
    case ErrorCode::SignerNotAuthorised:
        return "signer not authorised";
    case ErrorCode::Gap:
        return "gap";
    case ErrorCode::Fork:
        return "fork";
    case ErrorCode::Regression:
        return "regression";
    case ErrorCode::BrokenChain:
        return "broken chain";
    case ErrorCode::WrongContext:
        return "wrong context";
    case ErrorCode::UnsignedTail:
        return "unsigned tail";
    case ErrorCode::LimitExceeded:
        return "limit exceeded";
    case ErrorCode::StaleTime:
        return "stale time";
    }
    return "unknown error";
}

} // namespace

std::string_view codeName(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::Malformed:
        return "Malformed";
    case ErrorCode::UnknownVersion:
        return "UnknownVersion";
    case ErrorCode::BadSignature:
        return "BadSignature";
    case ErrorCode::SignerNotAuthorised:
        return "SignerNotAuthorised";
    case ErrorCode::Gap:
        return "Gap";
    case ErrorCode::Fork:
        return "Fork";
    case ErrorCode::Regression:
        return "Regression";
    case ErrorCode::BrokenChain:
        return "BrokenChain";
    case ErrorCode::WrongContext:
        return "WrongContext";
    case ErrorCode::UnsignedTail:
        return "UnsignedTail";
    case ErrorCode::LimitExceeded:
        return "LimitExceeded";
    case ErrorCode::StaleTime:
        return "StaleTime";
    }
    return "Unknown";
}

std::string describe(const Error& error) {
    std::string out(phrase(error.code));
    out += " at ";
    out += std::to_string(error.position);
    if (!error.detail.empty()) {
        out += ": ";
        out += error.detail;
    }
    return out;
}

} // namespace coffer::protocol
