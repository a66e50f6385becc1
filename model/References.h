// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/ModelError.h"

#include <cstdint>
#include <span>

namespace coffer::model {

class Store;

/// Resolves references inside a secret value: `${NAME}` (same environment), `${ENV.NAME}` (same project),
/// `${PROJECT/ENV/NAME}` (anywhere); `$${` is a literal `${`. Referenced values are resolved recursively.
/// NotFound naming the reference for an unknown one, InvalidName for a malformed one, and a cycle is an
/// error naming the whole path (A -> B -> A) — never an empty string. Export, run and reveal use this;
/// editors show the value as written.
[[nodiscard]] Result<crypto::SecureBuffer> resolveReferences(Store& store, std::int64_t environmentId,
                                                             std::span<const std::byte> value);
/// The same for a value the caller gives up: returned as it is when there is nothing to resolve (no copy).
[[nodiscard]] Result<crypto::SecureBuffer> resolveReferences(Store& store, std::int64_t environmentId,
                                                             crypto::SecureBuffer&& value);

} // namespace coffer::model
