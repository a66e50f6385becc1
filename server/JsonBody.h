// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Responses.h"
#include "sync/protocol/ProtocolError.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace coffer::server {

/// A request body read strictly: a JSON object (bounded depth) with only the expected fields, each
/// of the expected type. Every failure is a 400 naming the field, never echoing its value.
class JsonBody {
public:
    /// Parses `text`; 400 unless it is an object whose keys are all in `allowed`.
    [[nodiscard]] static Outcome<JsonBody> parse(std::string_view text,
                                                 std::initializer_list<std::string_view> allowed);

    /// The field, present (any type); 400 when missing.
    [[nodiscard]] Outcome<const nlohmann::json*> field(std::string_view name) const;
    /// A string field of 1..maxBytes bytes.
    [[nodiscard]] Outcome<std::string> string(std::string_view name, std::size_t maxBytes) const;
    /// An integer field (JSON number without fraction, in int64 range).
    [[nodiscard]] Outcome<std::int64_t> integer(std::string_view name) const;
    /// An array field with 1..maxItems elements (413 beyond maxItems: a bound, not a syntax error).
    [[nodiscard]] Outcome<const nlohmann::json*> array(std::string_view name, std::size_t maxItems) const;
    /// A field decoded by a protocol decoder (`protocol::Result<T>(const json&)`): 400 when it is missing or
    /// the decoder refuses it, naming the field and the protocol's reason.
    template <typename Decode>
    [[nodiscard]] auto decoded(std::string_view name, Decode decode) const
        -> Outcome<typename std::invoke_result_t<Decode, const nlohmann::json&>::value_type> {
        auto value = field(name);
        if (!value)
            return std::unexpected(std::move(value.error()));
        auto result = decode(**value);
        if (!result)
            return std::unexpected(
                errorResponse(400, "invalid " + std::string(name) + ": " + protocol::describe(result.error())));
        return std::move(*result);
    }

    [[nodiscard]] const nlohmann::json& json() const noexcept { return m_json; }

private:
    nlohmann::json m_json;
};

} // namespace coffer::server
