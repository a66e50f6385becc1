// SPDX-License-Identifier: Apache-2.0
#include "sync/Transport.h"

#include "model/OpenSsl.h"

#include <curl/curl.h>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string_view>

namespace coffer::sync {

namespace {

constexpr std::size_t kMaxQuotedBytes = 200;
constexpr std::size_t kMaxHeaderBytes = 64 * 1024; // every response header line together

QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// Server- or network-provided text made safe to show: no control characters, at most 200 bytes.
std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, kMaxQuotedBytes)) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
    }
    return out;
}

CURLcode globalInit() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] {
        model::leaveOpenSslToProcessExit(); // before libcurl starts OpenSSL (model/OpenSsl.h says why)
        result = curl_global_init(CURL_GLOBAL_DEFAULT);
    });
    return result;
}

struct ParsedUrl {
    std::string url; ///< without a trailing '/', ready for path + query to be appended
    bool loopback = false;
};

bool isLoopbackHost(std::string host) {
    std::ranges::transform(host, host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (host == "localhost")
        return true;
    if (host == "[::1]")
        return true;
    std::array<unsigned char, 4> v4{};
    return inet_pton(AF_INET, host.c_str(), v4.data()) == 1 && v4[0] == 127;
}

Result<ParsedUrl> parseBaseUrl(const QString& baseUrl) {
    const std::string text = baseUrl.toStdString();
    const auto invalid = [&](const char* why) {
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("the server URL \"%1\" %2").arg(qs(printable(text)), QString::fromUtf8(why)));
    };
    if (text.empty())
        return invalid("is empty");
    if (std::ranges::any_of(text, [](unsigned char c) { return c <= 0x20 || c == 0x7f; }))
        return invalid("contains spaces or control characters");

    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), curl_url_cleanup);
    if (!url)
        return fail(ErrorCode::Offline, QStringLiteral("out of memory while parsing the server URL"));
    if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        return invalid("is not a valid URL (expected https://host[:port][/prefix])");

    const auto part = [&](CURLUPart which) -> std::optional<std::string> {
        char* value = nullptr;
        if (curl_url_get(url.get(), which, &value, 0) != CURLUE_OK || value == nullptr)
            return std::nullopt;
        std::string out(value);
        curl_free(value);
        return out;
    };
    const auto scheme = part(CURLUPART_SCHEME);
    const auto host = part(CURLUPART_HOST);
    if (!scheme || !host || host->empty())
        return invalid("has no host");
    if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD) || part(CURLUPART_OPTIONS))
        return invalid("must not contain a user name or password");
    if (part(CURLUPART_QUERY))
        return invalid("must not contain a query ('?')");
    if (part(CURLUPART_FRAGMENT))
        return invalid("must not contain a fragment ('#')");
    if (part(CURLUPART_ZONEID))
        return invalid("must not contain an IPv6 zone");

    ParsedUrl parsed;
    parsed.loopback = isLoopbackHost(*host);
    if (*scheme == "http") {
        if (!parsed.loopback)
            return invalid("must use https:// (plain http:// is allowed only to this computer: 127.0.0.1, ::1 or "
                           "localhost)");
    } else if (*scheme != "https") {
        return invalid("must use https://");
    }
    parsed.url = text;
    while (parsed.url.ends_with('/'))
        parsed.url.pop_back();
    return parsed;
}

class CurlTransport final : public Transport {
public:
    CurlTransport(CURL* handle, ParsedUrl url, TransportOptions options)
        : m_handle(handle)
        , m_url(std::move(url))
        , m_options(std::move(options)) {}
    ~CurlTransport() override { curl_easy_cleanup(m_handle); }
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    Result<HttpResponse> send(const HttpRequest& request) override;

private:
    struct Exchange {
        HttpResponse response;
        std::size_t maxBytes = 0;
        std::size_t headerBytes = 0;
        bool tooLarge = false;
    };
    static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user);
    static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user);

    Result<void> configure(const HttpRequest& request, const std::string& url, curl_slist* headers, Exchange& exchange);
    Error errorFor(CURLcode code, const Exchange& exchange) const;

    std::mutex m_mutex; // one easy handle: one exchange at a time
    CURL* m_handle;
    ParsedUrl m_url;
    TransportOptions m_options;
    std::array<char, CURL_ERROR_SIZE> m_errorText{};
};

std::size_t CurlTransport::onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto& exchange = *static_cast<Exchange*>(user);
    const std::size_t bytes = size * count;
    if (exchange.response.body.size() + bytes > exchange.maxBytes) {
        exchange.tooLarge = true;
        return 0; // aborts the transfer (CURLE_WRITE_ERROR)
    }
    exchange.response.body.append(data, bytes);
    return bytes;
}

std::size_t CurlTransport::onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto& exchange = *static_cast<Exchange*>(user);
    const std::size_t bytes = size * count;
    exchange.headerBytes += bytes;
    if (exchange.headerBytes > kMaxHeaderBytes) {
        exchange.tooLarge = true;
        return 0;
    }
    std::string_view line(data, bytes);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        // A new status line (after a 100 Continue): only the final response's headers count.
        exchange.response.headers.clear();
        return bytes;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return bytes;
    std::string name(line.substr(0, colon));
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    exchange.response.headers.emplace(std::move(name), std::string(value)); // the first of a repeated name wins
    return bytes;
}

Result<void> CurlTransport::configure(const HttpRequest& request, const std::string& url, curl_slist* headers,
                                      Exchange& exchange) {
    CURL* h = m_handle;
    // curl_easy_reset keeps the connection cache, so the next request reuses the open connection.
    curl_easy_reset(h);
    const auto ms = [](std::chrono::seconds s) { return static_cast<long>(s.count() * 1000); };
    bool ok = true;
    const auto set = [&](CURLoption option, auto value) { ok = ok && curl_easy_setopt(h, option, value) == CURLE_OK; };
    set(CURLOPT_URL, url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_REDIR_PROTOCOLS_STR, "https");
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_MAXREDIRS, 0L);
    set(CURLOPT_PATH_AS_IS, 1L); // the path is signed: it must reach the server exactly as written
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caFile.isEmpty()) {
        const std::string caFile = m_options.caFile.toStdString();
        set(CURLOPT_CAINFO, caFile.c_str()); // curl copies the string
        set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
    }
    if (m_url.loopback)
        set(CURLOPT_NOPROXY, "*");
    set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_CONNECTTIMEOUT_MS, ms(m_options.connectTimeout));
    set(CURLOPT_TIMEOUT_MS, ms(m_options.timeout));
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.maxResponseBytes));
    set(CURLOPT_ERRORBUFFER, m_errorText.data());
    set(CURLOPT_WRITEFUNCTION, &CurlTransport::onBody);
    set(CURLOPT_WRITEDATA, static_cast<void*>(&exchange));
    set(CURLOPT_HEADERFUNCTION, &CurlTransport::onHeader);
    set(CURLOPT_HEADERDATA, static_cast<void*>(&exchange));
    set(CURLOPT_HTTPHEADER, headers);
    if (request.method == "GET") {
        set(CURLOPT_HTTPGET, 1L);
    } else {
        set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
        set(CURLOPT_POSTFIELDS, request.body.data());
        set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    if (!ok)
        return fail(ErrorCode::Offline, QStringLiteral("libcurl refused an option (is libcurl older than 7.85?)"));
    return {};
}

Error CurlTransport::errorFor(CURLcode code, const Exchange& exchange) const {
    const QString server = qs(m_url.url);
    std::string detail = m_errorText[0] != '\0' ? std::string(m_errorText.data()) : curl_easy_strerror(code);
    const QString why = qs(printable(detail));
    switch (code) {
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (exchange.tooLarge || code == CURLE_FILESIZE_EXCEEDED)
            return Error{ErrorCode::HostileResponse,
                         QStringLiteral("the reply from %1 is larger than %2 bytes (or its headers than %3): refused")
                             .arg(server)
                             .arg(m_options.maxResponseBytes)
                             .arg(kMaxHeaderBytes),
                         std::nullopt, 0};
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return Error{ErrorCode::Tls,
                     QStringLiteral("the certificate of %1 is not trusted (%2): set --ca-file to its CA, and check "
                                    "that the URL names the host the certificate is for")
                         .arg(server, why),
                     std::nullopt, 0};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return Error{ErrorCode::Tls,
                     QStringLiteral("the TLS connection to %1 failed (%2): check that the server speaks https at this "
                                    "URL and that --ca-file holds its CA")
                         .arg(server, why),
                     std::nullopt, 0};
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return Error{ErrorCode::InvalidInput, QStringLiteral("the server URL %1 cannot be used (%2)").arg(server, why),
                     std::nullopt, 0};
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
        return Error{ErrorCode::HostileResponse,
                     QStringLiteral("%1 sent a reply that is not HTTP/1.1 (%2)").arg(server, why), std::nullopt, 0};
    default:
        break;
    }
    return Error{ErrorCode::Offline,
                 QStringLiteral("cannot reach the sync server %1 (%2): check the server URL and that it is running")
                     .arg(server, why),
                 std::nullopt, 0};
}

Result<HttpResponse> CurlTransport::send(const HttpRequest& request) {
    if (request.method != "GET" && request.method != "POST" && request.method != "PUT" && request.method != "DELETE")
        return fail(ErrorCode::InvalidInput, QStringLiteral("unsupported HTTP method"));
    const auto unsafe = [](std::string_view text) {
        return std::ranges::any_of(text, [](unsigned char c) { return c < 0x20 || c == 0x7f || c == ' '; });
    };
    if (!request.path.starts_with('/') || unsafe(request.path) || unsafe(request.query) ||
        request.query.find('#') != std::string::npos)
        return fail(ErrorCode::InvalidInput, QStringLiteral("a request path or query with unsafe characters"));

    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
    const auto addHeader = [&](const std::string& line) {
        curl_slist* next = curl_slist_append(headers.get(), line.c_str());
        if (next == nullptr)
            return false;
        static_cast<void>(headers.release());
        headers.reset(next);
        return true;
    };
    bool ok = addHeader("Content-Type: application/json") && addHeader("Accept: application/json") &&
              addHeader("Expect:"); // no 100-continue round trip for large pushes
    for (const auto& [name, value] : request.headers) {
        if (name.empty() || name.find(':') != std::string::npos || unsafe(name) ||
            std::ranges::any_of(value, [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            return fail(ErrorCode::InvalidInput, QStringLiteral("a request header with unsafe characters"));
        ok = ok && addHeader(name + ": " + value);
    }
    if (!ok)
        return fail(ErrorCode::Offline, QStringLiteral("out of memory while building a request"));

    std::string url = m_url.url + request.path;
    if (!request.query.empty())
        url += "?" + request.query;

    const std::lock_guard lock(m_mutex);
    Exchange exchange;
    exchange.maxBytes = m_options.maxResponseBytes;
    m_errorText[0] = '\0';
    if (auto configured = configure(request, url, headers.get(), exchange); !configured)
        return std::unexpected(configured.error());
    const CURLcode code = curl_easy_perform(m_handle);
    if (code != CURLE_OK)
        return std::unexpected(errorFor(code, exchange));

    long status = 0;
    curl_easy_getinfo(m_handle, CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = static_cast<int>(status);
    if (status < 100 || status > 599)
        return fail(ErrorCode::HostileResponse, QStringLiteral("%1 sent no valid HTTP status").arg(qs(m_url.url)));
    if (status >= 300 && status < 400) {
        const auto location = exchange.response.headers.find("location");
        const QString target = location == exchange.response.headers.end()
                                   ? QStringLiteral("nowhere")
                                   : QStringLiteral("\"%1\"").arg(qs(printable(location->second)));
        return std::unexpected(
            Error{ErrorCode::Redirect,
                  QStringLiteral("%1 answered with a redirect (HTTP %2 to %3); redirects are never followed: set the "
                                 "server URL to the server's own https address")
                      .arg(qs(m_url.url))
                      .arg(status)
                      .arg(target),
                  std::nullopt, static_cast<int>(status)});
    }
    return std::move(exchange.response);
}

} // namespace

Result<std::unique_ptr<Transport>> makeCurlTransport(const TransportOptions& options) {
    auto url = parseBaseUrl(options.baseUrl);
    if (!url)
        return std::unexpected(url.error());
    if (!options.caFile.isEmpty()) {
        // Checked here so the message names the file, not a TLS handshake failure much later.
        std::ifstream file(options.caFile.toStdString(), std::ios::binary);
        std::ostringstream contents;
        if (file.is_open())
            contents << file.rdbuf();
        if (!file.is_open() || file.bad())
            return fail(ErrorCode::Tls, QStringLiteral("the CA file \"%1\" cannot be read: check the --ca-file path "
                                                       "and its permissions")
                                            .arg(options.caFile));
        const std::string pem = std::move(contents).str();
        if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
            return fail(ErrorCode::Tls,
                        QStringLiteral("the CA file \"%1\" holds no PEM certificate: --ca-file needs the server's CA "
                                       "certificate in PEM form")
                            .arg(options.caFile));
    }
    if (options.maxResponseBytes == 0 || options.timeout.count() <= 0 || options.connectTimeout.count() <= 0)
        return fail(ErrorCode::InvalidInput, QStringLiteral("transport limits must be positive"));
    if (const CURLcode init = globalInit(); init != CURLE_OK)
        return fail(ErrorCode::Offline,
                    QStringLiteral("libcurl could not start (%1)").arg(QString::fromUtf8(curl_easy_strerror(init))));
    CURL* handle = curl_easy_init();
    if (handle == nullptr)
        return fail(ErrorCode::Offline, QStringLiteral("libcurl could not start (no easy handle)"));
    return std::make_unique<CurlTransport>(handle, std::move(*url), options);
}

} // namespace coffer::sync
