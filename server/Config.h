// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Limits.h"

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// coffer-server's configuration: a file of `key = value` lines and the command line, which
/// overrides it. Every error is one line naming where it is ("FILE:LINE: …" or the option), and
/// the command exits with status 2.
namespace coffer::server {

struct Config {
    std::string listen = "127.0.0.1:8443"; ///< ADDR:PORT; [v6addr]:PORT; port 0 picks a free port
    std::string database = "sqlite:./coffer-server.db";
    std::string tlsCert; ///< both or neither
    std::string tlsKey;
    Limits limits;
    int readTimeoutSeconds = 10;
    int writeTimeoutSeconds = 10;
    int threads = 8;
    bool logRequests = true;
};

struct ListenAddress {
    std::string host;
    int port = 0;
};

enum class Command { Serve, TeamCode, Migrate, Version, Help };

struct CommandLine {
    Command command = Command::Serve;
    std::optional<std::string> configFile;
    /// Settings given as options, as config keys ("listen", "database", "tls_cert", "tls_key").
    std::vector<std::pair<std::string, std::string>> settings;
    std::int64_t validHours = 24; ///< team-code --valid-hours
};

template <typename T> using ConfigResult = std::expected<T, std::string>;

/// Parses the arguments after the program name. Each subcommand accepts only its own options.
[[nodiscard]] ConfigResult<CommandLine> parseCommandLine(std::span<const std::string> args);

/// Sets one config key; the error says what the value must be (without a location).
[[nodiscard]] ConfigResult<void> applySetting(Config& config, std::string_view key, std::string_view value);

/// Applies a config file's text: `key = value` lines, blank lines, whole-line `#` comments.
/// Errors read "SOURCE:LINE: …" (unknown key, bad value, a line without '=').
[[nodiscard]] ConfigResult<void> applyConfigText(Config& config, std::string_view text, std::string_view source);

/// The defaults, then the config file (when given), then the command line's settings; then the
/// checks that need the whole picture (a TLS certificate without a key).
[[nodiscard]] ConfigResult<Config> loadConfig(const CommandLine& commandLine);

/// "127.0.0.1:8443", "[::1]:0", "localhost:8080".
[[nodiscard]] ConfigResult<ListenAddress> parseListen(std::string_view text);

/// The --help text.
[[nodiscard]] std::string usageText();

} // namespace coffer::server
