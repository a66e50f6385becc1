// SPDX-License-Identifier: Apache-2.0
#include "server/JsonBody.h"

#include "sync/protocol/Json.h"

#include <algorithm>

namespace coffer::server {

namespace {

std::unexpected<Response> badField(std::string_view name, std::string_view what) {
    return refuse(400, "field \"" + std::string(name) + "\" " + std::string(what));
}

} // namespace

Outcome<JsonBody> JsonBody::parse(std::string_view text, std::initializer_list<std::string_view> allowed) {
    auto parsed = protocol::parseJson(text);
    if (!parsed)
        return refuse(400, "the body is not valid JSON");
    if (!parsed->is_object())
        return refuse(400, "the body must be a JSON object");
    for (const auto& item : parsed->items()) {
        if (std::find(allowed.begin(), allowed.end(), std::string_view(item.key())) == allowed.end())
            return refuse(400, "unexpected field in the body");
    }
    JsonBody body;
    body.m_json = std::move(*parsed);
    return body;
}

Outcome<const nlohmann::json*> JsonBody::field(std::string_view name) const {
    const auto it = m_json.find(name);
    if (it == m_json.end())
        return badField(name, "is missing");
    return &*it;
}

Outcome<std::string> JsonBody::string(std::string_view name, std::size_t maxBytes) const {
    auto value = field(name);
    if (!value)
        return std::unexpected(std::move(value.error()));
    if (!(*value)->is_string())
        return badField(name, "must be a string");
    const auto& text = (*value)->get_ref<const std::string&>();
    if (text.empty() || text.size() > maxBytes)
        return badField(name, "has a bad length");
    return text;
}

Outcome<std::int64_t> JsonBody::integer(std::string_view name) const {
    auto value = field(name);
    if (!value)
        return std::unexpected(std::move(value.error()));
    if ((*value)->is_number_integer() && !(*value)->is_number_unsigned())
        return (*value)->get<std::int64_t>();
    if ((*value)->is_number_unsigned()) {
        const auto number = (*value)->get<std::uint64_t>();
        if (number <= static_cast<std::uint64_t>(INT64_MAX))
            return static_cast<std::int64_t>(number);
    }
    return badField(name, "must be an integer");
}

Outcome<const nlohmann::json*> JsonBody::array(std::string_view name, std::size_t maxItems) const {
    auto value = field(name);
    if (!value)
        return std::unexpected(std::move(value.error()));
    if (!(*value)->is_array())
        return badField(name, "must be an array");
    if ((*value)->empty())
        return badField(name, "must not be empty");
    if ((*value)->size() > maxItems)
        return refuse(413, "too many items in \"" + std::string(name) + "\"");
    return *value;
}

} // namespace coffer::server
