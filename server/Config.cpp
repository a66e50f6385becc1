// SPDX-License-Identifier: Apache-2.0
#include "server/Config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace coffer::server {

namespace {

constexpr std::string_view kKeys[] = {"listen",
                                      "database",
                                      "tls_cert",
                                      "tls_key",
                                      "max_body_bytes",
                                      "max_records_per_push",
                                      "max_record_bytes",
                                      "rate_limit_per_second",
                                      "rate_limit_burst",
                                      "read_timeout_seconds",
                                      "write_timeout_seconds",
                                      "threads",
                                      "log_requests"};

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::optional<std::int64_t> wholeNumber(std::string_view text, std::int64_t low, std::int64_t high) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < low || value > high)
        return std::nullopt;
    return value;
}

std::optional<double> decimal(std::string_view text, double low, double high) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) || value < low ||
        value > high)
        return std::nullopt;
    return value;
}

std::unexpected<std::string> badValue(std::string_view key, std::string_view value, std::string_view expected) {
    return std::unexpected("bad value for " + std::string(key) + ": '" + std::string(value) + "' (" +
                           std::string(expected) + ")");
}

/// Options that set a config key, per subcommand.
struct Option {
    std::string_view name;
    std::string_view key;
};
constexpr Option kServeOptions[] = {
    {"--listen", "listen"}, {"--database", "database"}, {"--tls-cert", "tls_cert"}, {"--tls-key", "tls_key"}};
constexpr Option kStoreOptions[] = {{"--database", "database"}};

} // namespace

ConfigResult<ListenAddress> parseListen(std::string_view text) {
    ListenAddress address;
    std::string_view portText;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return std::unexpected(std::string("expected [ADDR]:PORT"));
        address.host = std::string(text.substr(1, close - 1));
        portText = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon)
            return std::unexpected(std::string("expected ADDR:PORT"));
        address.host = std::string(text.substr(0, colon));
        portText = text.substr(colon + 1);
    }
    if (address.host.empty())
        return std::unexpected(std::string("the address is empty"));
    const auto port = wholeNumber(portText, 0, 65535);
    if (!port)
        return std::unexpected(std::string("the port must be 0 to 65535"));
    address.port = static_cast<int>(*port);
    return address;
}

ConfigResult<void> applySetting(Config& config, std::string_view key, std::string_view value) {
    constexpr auto sizeMax = static_cast<std::int64_t>(1) << 40;
    if (key == "listen") {
        if (auto address = parseListen(value); !address)
            return badValue(key, value, address.error());
        config.listen = std::string(value);
    } else if (key == "database") {
        if (!value.starts_with("sqlite:") && !value.starts_with("postgresql://") && !value.starts_with("postgres://"))
            return badValue(key, value, "sqlite:PATH or postgresql://…");
        config.database = std::string(value);
    } else if (key == "tls_cert") {
        config.tlsCert = std::string(value);
    } else if (key == "tls_key") {
        config.tlsKey = std::string(value);
    } else if (key == "max_body_bytes") {
        const auto number = wholeNumber(value, 1024, sizeMax);
        if (!number)
            return badValue(key, value, "a whole number of bytes, at least 1024");
        config.limits.maxBodyBytes = static_cast<std::size_t>(*number);
    } else if (key == "max_records_per_push") {
        const auto number = wholeNumber(value, 1, 1'000'000);
        if (!number)
            return badValue(key, value, "a whole number from 1 to 1000000");
        config.limits.maxRecordsPerPush = static_cast<std::size_t>(*number);
    } else if (key == "max_record_bytes") {
        const auto number = wholeNumber(value, 64, sizeMax);
        if (!number)
            return badValue(key, value, "a whole number of bytes, at least 64");
        config.limits.maxRecordBytes = static_cast<std::size_t>(*number);
    } else if (key == "rate_limit_per_second") {
        const auto number = decimal(value, 0, 1e9);
        if (!number)
            return badValue(key, value, "a number of requests per second, 0 for no limit");
        config.limits.rateLimitPerSecond = *number;
    } else if (key == "rate_limit_burst") {
        const auto number = decimal(value, 1, 1e9);
        if (!number)
            return badValue(key, value, "a number of requests, at least 1");
        config.limits.rateLimitBurst = *number;
    } else if (key == "read_timeout_seconds" || key == "write_timeout_seconds") {
        const auto number = wholeNumber(value, 1, 3600);
        if (!number)
            return badValue(key, value, "a whole number of seconds from 1 to 3600");
        (key == "read_timeout_seconds" ? config.readTimeoutSeconds : config.writeTimeoutSeconds) =
            static_cast<int>(*number);
    } else if (key == "threads") {
        const auto number = wholeNumber(value, 1, 1024);
        if (!number)
            return badValue(key, value, "a whole number from 1 to 1024");
        config.threads = static_cast<int>(*number);
    } else if (key == "log_requests") {
        if (value != "true" && value != "false")
            return badValue(key, value, "true or false");
        config.logRequests = value == "true";
    } else {
        return std::unexpected("unknown key '" + std::string(key) + "'");
    }
    return {};
}

ConfigResult<void> applyConfigText(Config& config, std::string_view text, std::string_view source) {
    std::size_t lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const auto newline = text.find('\n');
        const std::string_view line = trim(text.substr(0, newline));
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        if (line.empty() || line.front() == '#')
            continue;
        const std::string where = std::string(source) + ":" + std::to_string(lineNumber) + ": ";
        const auto eq = line.find('=');
        if (eq == std::string_view::npos)
            return std::unexpected(where + "expected 'key = value'");
        const std::string_view key = trim(line.substr(0, eq));
        const std::string_view value = trim(line.substr(eq + 1));
        if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
            return std::unexpected(where + "unknown key '" + std::string(key) + "'");
        if (auto applied = applySetting(config, key, value); !applied)
            return std::unexpected(where + applied.error());
    }
    return {};
}

ConfigResult<CommandLine> parseCommandLine(std::span<const std::string> args) {
    CommandLine commandLine;
    bool commandGiven = false;
    std::vector<std::pair<std::string, std::string>> options;
    // --help and --version win wherever they are, whatever else is wrong with the line.
    for (const std::string& arg : args) {
        if (arg == "--help" || arg == "-h") {
            commandLine.command = Command::Help;
            return commandLine;
        }
    }
    if (std::find(args.begin(), args.end(), "--version") != args.end()) {
        commandLine.command = Command::Version;
        return commandLine;
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.starts_with("--")) {
            const auto eq = arg.find('=');
            std::string name = arg.substr(0, eq);
            std::string value;
            if (eq != std::string::npos) {
                value = arg.substr(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                return std::unexpected(name + " needs a value");
            }
            options.emplace_back(std::move(name), std::move(value));
            continue;
        }
        if (commandGiven)
            return std::unexpected("unexpected argument '" + arg + "'");
        commandGiven = true;
        if (arg == "serve")
            commandLine.command = Command::Serve;
        else if (arg == "team-code")
            commandLine.command = Command::TeamCode;
        else if (arg == "migrate")
            commandLine.command = Command::Migrate;
        else
            return std::unexpected("unknown command '" + arg + "'");
    }

    const std::span<const Option> allowed = commandLine.command == Command::Serve
                                                ? std::span<const Option>(kServeOptions)
                                                : std::span<const Option>(kStoreOptions);
    for (auto& [name, value] : options) {
        if (name == "--config") {
            commandLine.configFile = value;
            continue;
        }
        if (name == "--valid-hours" && commandLine.command == Command::TeamCode) {
            const auto hours = wholeNumber(value, 1, 24 * 365);
            if (!hours)
                return std::unexpected("--valid-hours: expected a whole number of hours from 1 to 8760");
            commandLine.validHours = *hours;
            continue;
        }
        const auto it = std::find_if(allowed.begin(), allowed.end(), [&](const Option& o) { return o.name == name; });
        if (it == allowed.end())
            return std::unexpected("unknown option '" + name + "' for this command");
        commandLine.settings.emplace_back(std::string(it->key), std::move(value));
    }
    return commandLine;
}

ConfigResult<Config> loadConfig(const CommandLine& commandLine) {
    Config config;
    if (commandLine.configFile) {
        std::ifstream file(*commandLine.configFile, std::ios::binary);
        if (!file)
            return std::unexpected("cannot read the config file " + *commandLine.configFile);
        std::ostringstream text;
        text << file.rdbuf();
        if (auto applied = applyConfigText(config, text.str(), *commandLine.configFile); !applied)
            return std::unexpected(applied.error());
    }
    for (const auto& [key, value] : commandLine.settings) {
        if (auto applied = applySetting(config, key, value); !applied) {
            std::string option = "--" + key;
            std::replace(option.begin(), option.end(), '_', '-');
            return std::unexpected(option + ": " + applied.error());
        }
    }
    if (config.tlsCert.empty() != config.tlsKey.empty())
        return std::unexpected(std::string("TLS needs both a certificate and a key (tls_cert, tls_key)"));
    return config;
}

std::string usageText() {
    return "Usage:\n"
           "  coffer-server [serve] [--config FILE] [--listen ADDR:PORT] [--database URL]\n"
           "                [--tls-cert FILE --tls-key FILE]\n"
           "  coffer-server team-code [--config FILE] [--database URL] [--valid-hours N]\n"
           "  coffer-server migrate [--config FILE] [--database URL]\n"
           "  coffer-server --version | --help\n"
           "\n"
           "Commands:\n"
           "  serve      Run the sync server (the default). Prints 'listening on ADDR:PORT' once bound;\n"
           "             SIGTERM or SIGINT stops it after the requests in flight.\n"
           "  team-code  Make a single-use code that allows creating one team, print it once.\n"
           "             It expires after --valid-hours (default 24). Only its hash is stored.\n"
           "  migrate    Bring the database schema up to date and print its version.\n"
           "\n"
           "Options:\n"
           "  --config FILE       Read 'key = value' settings from FILE; options override it.\n"
           "  --listen ADDR:PORT  Address to listen on (default 127.0.0.1:8443; port 0 picks one).\n"
           "  --database URL      sqlite:PATH (default sqlite:./coffer-server.db) or postgresql://...\n"
           "  --tls-cert FILE     Serve HTTPS with this PEM certificate (chain) ...\n"
           "  --tls-key FILE      ... and this PEM private key.\n"
           "  --valid-hours N     How long a team code stays valid (1 to 8760 hours).\n"
           "\n"
           "Config keys: listen, database, tls_cert, tls_key, max_body_bytes, max_records_per_push,\n"
           "max_record_bytes, rate_limit_per_second, rate_limit_burst, read_timeout_seconds,\n"
           "write_timeout_seconds, threads, log_requests (true/false).\n"
           "\n"
           "Exit status: 0 success, 1 runtime failure (database, address in use), 2 bad usage or config.\n";
}

} // namespace coffer::server
