// SPDX-License-Identifier: Apache-2.0
#include "server/Request.h"

#include <algorithm>

namespace coffer::server {

namespace {

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

int hexValue(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string decodeComponent(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const noexcept {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](char x, char y) { return lower(x) < lower(y); });
}

std::optional<std::string> Request::header(std::string_view name) const {
    if (const auto it = headers.find(name); it != headers.end())
        return it->second;
    return std::nullopt;
}

std::optional<std::string> Request::param(std::string_view name) const {
    if (const auto it = params.find(name); it != params.end())
        return it->second;
    return std::nullopt;
}

Request Request::make(std::string method, std::string_view target, std::string body, Headers headers) {
    Request request;
    request.method = std::move(method);
    const auto mark = target.find('?');
    request.path = std::string(target.substr(0, mark));
    if (mark != std::string_view::npos)
        request.query = std::string(target.substr(mark + 1));
    request.params = parseQuery(request.query);
    request.headers = std::move(headers);
    request.body = std::move(body);
    return request;
}

QueryParams parseQuery(std::string_view query) {
    QueryParams params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty())
            continue;
        const auto eq = pair.find('=');
        std::string name = decodeComponent(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string{} : decodeComponent(pair.substr(eq + 1));
        params.emplace(std::move(name), std::move(value)); // emplace keeps the first of repeated names
    }
    return params;
}

} // namespace coffer::server
