// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace coffer::tests {

/// How to start one coffer-server process.
struct ServerOptions {
    std::string database;                  ///< "sqlite:/path" or "postgresql://…"
    std::string listen = "127.0.0.1:0";    ///< port 0: the server picks one and prints it
    std::optional<std::string> configFile; ///< --config FILE
    std::vector<std::string> extraArgs;    ///< appended after the options above
};

/// A real `coffer-server serve` process. start() waits for its `listening on ADDR:PORT` line; stop()
/// sends SIGTERM and returns the exit code. The destructor kills a process still running (a test
/// that failed half-way never leaves a server behind). Its stderr (the JSON request log) goes to a
/// private file that stderrText() reads, so a long run never blocks on a full pipe.
class ServerProcess {
public:
    static constexpr std::chrono::milliseconds kDefaultTimeout{30'000};

    explicit ServerProcess(std::string binary);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    /// Starts the server and reads the bound address; an error text (with its stderr) when it exited,
    /// printed something else, or said nothing within `timeout`.
    [[nodiscard]] std::expected<void, std::string> start(const ServerOptions& options,
                                                         std::chrono::milliseconds timeout = kDefaultTimeout);

    [[nodiscard]] const std::string& host() const noexcept { return m_host; }
    [[nodiscard]] int port() const noexcept { return m_port; }
    [[nodiscard]] pid_t pid() const noexcept { return m_pid; }
    [[nodiscard]] bool running() const noexcept { return m_pid > 0; }

    /// Sends `signal` to the process (no wait).
    void signal(int signal) const;
    /// Waits for the process to end: its exit code, 128 + signal when a signal killed it, or an error
    /// after `timeout` (the process is left running).
    [[nodiscard]] std::expected<int, std::string> wait(std::chrono::milliseconds timeout = kDefaultTimeout);
    /// SIGTERM and wait(); SIGKILL when it does not end within `timeout` (then an error).
    [[nodiscard]] std::expected<int, std::string> stop(std::chrono::milliseconds timeout = kDefaultTimeout);

    /// Everything the process wrote to stderr so far.
    [[nodiscard]] std::string stderrText() const;

private:
    std::string m_binary;
    pid_t m_pid = -1;
    int m_stdout = -1;
    std::string m_stderrPath;
    std::string m_host;
    int m_port = 0;
};

/// What one run of a command printed, and how it ended.
struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs `binary ARGS…` to the end with stdin from /dev/null; an error text when it could not start or
/// did not end within `timeout` (then it is killed).
[[nodiscard]] std::expected<CommandResult, std::string>
runCommand(const std::string& binary, const std::vector<std::string>& args,
           std::chrono::milliseconds timeout = ServerProcess::kDefaultTimeout);

/// `coffer-server team-code --database URL`: the one-line code it prints, or an error text.
[[nodiscard]] std::expected<std::string, std::string> makeTeamCode(const std::string& binary,
                                                                   const std::string& database);

} // namespace coffer::tests
