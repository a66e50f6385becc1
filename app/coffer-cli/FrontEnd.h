// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

/// coffer-cli's front end, in plain C++ so that it starts without loading Qt (docs/agent.md, "The front end").
/// It answers two commands alone, `get` and `ls PROJECT/ENV` through a running agent, and hands every other
/// command line, unchanged, to the full CLI by exec (same process, same arguments, same environment). What it
/// answers is what the full CLI would print for the same reply; anything it is unsure of goes to the full CLI,
/// which decides.
namespace coffer::cli::front {

/// A `coffer-cli get` the front end may answer.
struct GetRequest {
    std::string vaultOption; ///< --vault PATH, empty when not given
    std::string project;
    std::string environment;
    std::string name;
    std::optional<int> version;
    bool raw = false;
};

/// The request when `args` (without the program name) are exactly `get PROJECT/ENV/NAME` with at most
/// --version N, --raw and --vault PATH (either `--name value` or `--name=value`, before or after the command),
/// each at most once. nullopt for anything else, even a valid command line: the full CLI answers those.
[[nodiscard]] std::optional<GetRequest> parseGet(std::span<const char* const> args);

/// A `coffer-cli ls PROJECT/ENV` the front end may answer.
struct ListRequest {
    std::string vaultOption; ///< --vault PATH, empty when not given
    std::string project;
    std::string environment;
};

/// The request when `args` are exactly `ls PROJECT/ENV` with at most --vault PATH (once, before or after the
/// command). nullopt for anything else (`ls` of projects or environments, --json, --deleted): the full CLI.
[[nodiscard]] std::optional<ListRequest> parseList(std::span<const char* const> args);

/// The vault file the full CLI would open: `vaultOption` (--vault), else $COFFER_VAULT, else $XDG_DATA_HOME
/// (when absolute) or $HOME/.local/share, then /coffer/default.coffer; resolved to its canonical path, as the
/// agent names it. nullopt when it cannot be resolved (no such file, no HOME): the full CLI then says why.
[[nodiscard]] std::optional<std::string> canonicalVault(const std::string& vaultOption);

/// Asks the agent at `socketPath` for the value and writes it to standard output. The exit code to end with,
/// or nullopt when the full CLI must take over (no agent, another vault, the vault's own error, a reply not
/// understood): it asks again and reports exactly as it always does.
[[nodiscard]] std::optional<int> answerGet(const GetRequest& request, const std::string& vault,
                                           const std::string& socketPath);

/// `ls PROJECT/ENV` through the agent at `socketPath`: writes the table to standard output. The exit code, or
/// nullopt when the full CLI must take over, as for answerGet().
[[nodiscard]] std::optional<int> answerList(const ListRequest& request, const std::string& vault,
                                            const std::string& socketPath);

/// One secret of an `ls` reply, as the agent sends it (agent/Operations.cpp).
struct SecretLine {
    std::string_view name; ///< UTF-8, as every text below
    int version = 0;
    long long updatedMs = 0; ///< milliseconds since 1970 (UTC)
    std::string_view by;
    std::string_view tags; ///< separated by U+001F
    bool deleted = false;
};

/// The table the full CLI prints for these rows (cli::formatTable() of NAME, VERSION, UPDATED, BY, TAGS: columns
/// as wide as their widest cell in UTF-16 units, two spaces apart, each line trimmed of Unicode white space);
/// empty for no rows. nullopt when a cell holds what only the full CLI is sure to show the same: text that is
/// not UTF-8 or holds U+FEFF, a date outside the years 1 to 9999.
[[nodiscard]] std::optional<std::string> secretTable(std::span<const SecretLine> rows);

/// The full CLI next to this program (../libexec/coffer/coffer-cli-full from the folder of /proc/self/exe).
[[nodiscard]] std::string fullCliPath();

} // namespace coffer::cli::front
