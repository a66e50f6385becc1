// SPDX-License-Identifier: Apache-2.0
#include "tests/server/client/ServerProcess.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace coffer::tests {
namespace {

using Clock = std::chrono::steady_clock;

std::string makeTempFile(const char* prefix) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    const int fd = ::mkstemp(buffer.data());
    if (fd < 0) {
        return {};
    }
    ::close(fd);
    return std::string(buffer.data());
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// posix_spawn with stdin from /dev/null, stdout to `stdoutFd` and stderr to `stderrPath`, default
/// signal dispositions and an empty mask (a test runner that ignores SIGTERM must not pass that on).
std::expected<pid_t, std::string> spawn(const std::string& binary, const std::vector<std::string>& args, int stdoutFd,
                                        const std::string& stdoutPath, const std::string& stderrPath) {
    std::vector<std::string> argvStrings;
    argvStrings.push_back(binary);
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argvStrings) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (stdoutFd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, stdoutFd, 1);
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath.c_str(), O_WRONLY | O_TRUNC, 0);
    }
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath.c_str(), O_WRONLY | O_TRUNC, 0);

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (const int sig : {SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGCHLD}) {
        sigaddset(&defaults, sig);
    }
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, binary.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
        return std::unexpected("cannot start " + binary + ": " + std::strerror(rc));
    }
    return pid;
}

/// waitpid with a deadline: the exit code (128 + signal for a killed process) or nullopt on timeout.
std::optional<int> waitUntil(pid_t pid, Clock::time_point deadline) {
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (done < 0 && errno != EINTR) {
            return -1;
        }
        if (Clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

} // namespace

ServerProcess::ServerProcess(std::string binary)
    : m_binary(std::move(binary)) {}

ServerProcess::~ServerProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        (void)waitUntil(m_pid, Clock::now() + std::chrono::seconds(10));
    }
    if (m_stdout >= 0) {
        ::close(m_stdout);
    }
    if (!m_stderrPath.empty()) {
        ::unlink(m_stderrPath.c_str());
    }
}

std::expected<void, std::string> ServerProcess::start(const ServerOptions& options, std::chrono::milliseconds timeout) {
    if (m_pid > 0) {
        return std::unexpected(std::string("already running"));
    }
    if (m_stderrPath.empty()) {
        m_stderrPath = makeTempFile("coffer-server-log");
        if (m_stderrPath.empty()) {
            return std::unexpected(std::string("cannot create a file for the server's stderr"));
        }
    }
    std::vector<std::string> args{"serve", "--listen", options.listen, "--database", options.database};
    if (options.configFile) {
        args.insert(args.end(), {"--config", *options.configFile});
    }
    args.insert(args.end(), options.extraArgs.begin(), options.extraArgs.end());

    std::array<int, 2> pipeFds{-1, -1};
    if (::pipe2(pipeFds.data(), O_CLOEXEC) != 0) {
        return std::unexpected(std::string("pipe: ") + std::strerror(errno));
    }
    auto pid = spawn(m_binary, args, pipeFds[1], {}, m_stderrPath);
    ::close(pipeFds[1]);
    if (!pid) {
        ::close(pipeFds[0]);
        return std::unexpected(pid.error());
    }
    m_pid = *pid;
    m_stdout = pipeFds[0];

    // Read up to the first newline; the server prints exactly one line once it is bound.
    std::string line;
    const auto deadline = Clock::now() + timeout;
    while (line.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            return std::unexpected("no 'listening on' line within the timeout; stderr: " + stderrText());
        }
        pollfd fd{m_stdout, POLLIN, 0};
        const int ready = ::poll(&fd, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        std::array<char, 256> buffer{};
        const ssize_t got = ready > 0 ? ::read(m_stdout, buffer.data(), buffer.size()) : 0;
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0 && ready > 0) {
            const auto code = waitUntil(m_pid, Clock::now() + std::chrono::seconds(5));
            if (code) {
                m_pid = -1;
            }
            return std::unexpected("the server exited (code " + std::to_string(code.value_or(-1)) +
                                   ") before listening; stdout: '" + line + "', stderr: " + stderrText());
        }
        line.append(buffer.data(), static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
    }
    line.resize(line.find('\n'));
    static constexpr std::string_view kPrefix = "listening on ";
    const auto colon = line.rfind(':');
    if (!line.starts_with(kPrefix) || colon == std::string::npos || colon < kPrefix.size()) {
        return std::unexpected("unexpected first line '" + line + "'");
    }
    m_host = line.substr(kPrefix.size(), colon - kPrefix.size());
    try {
        m_port = std::stoi(line.substr(colon + 1));
    } catch (const std::exception&) {
        m_port = 0;
    }
    if (m_port <= 0 || m_port > 65535) {
        return std::unexpected("bad port in '" + line + "'");
    }
    return {};
}

void ServerProcess::signal(int sig) const {
    if (m_pid > 0) {
        ::kill(m_pid, sig);
    }
}

std::expected<int, std::string> ServerProcess::wait(std::chrono::milliseconds timeout) {
    if (m_pid <= 0) {
        return std::unexpected(std::string("not running"));
    }
    const auto code = waitUntil(m_pid, Clock::now() + timeout);
    if (!code) {
        return std::unexpected(std::string("the server did not exit within the timeout"));
    }
    m_pid = -1;
    return *code;
}

std::expected<int, std::string> ServerProcess::stop(std::chrono::milliseconds timeout) {
    signal(SIGTERM);
    auto code = wait(timeout);
    if (!code && m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        (void)waitUntil(m_pid, Clock::now() + std::chrono::seconds(10));
        m_pid = -1;
        return std::unexpected("the server ignored SIGTERM (killed); stderr: " + stderrText());
    }
    return code;
}

std::string ServerProcess::stderrText() const {
    return m_stderrPath.empty() ? std::string() : readFile(m_stderrPath);
}

std::expected<CommandResult, std::string> runCommand(const std::string& binary, const std::vector<std::string>& args,
                                                     std::chrono::milliseconds timeout) {
    const std::string outPath = makeTempFile("coffer-server-out");
    const std::string errPath = makeTempFile("coffer-server-err");
    if (outPath.empty() || errPath.empty()) {
        return std::unexpected(std::string("cannot create temporary files"));
    }
    auto pid = spawn(binary, args, -1, outPath, errPath);
    std::expected<CommandResult, std::string> result;
    if (!pid) {
        result = std::unexpected(pid.error());
    } else if (const auto code = waitUntil(*pid, Clock::now() + timeout); !code) {
        ::kill(*pid, SIGKILL);
        (void)waitUntil(*pid, Clock::now() + std::chrono::seconds(10));
        result = std::unexpected(std::string("did not finish within the timeout"));
    } else {
        result = CommandResult{*code, readFile(outPath), readFile(errPath)};
    }
    ::unlink(outPath.c_str());
    ::unlink(errPath.c_str());
    return result;
}

std::expected<std::string, std::string> makeTeamCode(const std::string& binary, const std::string& database) {
    auto result = runCommand(binary, {"team-code", "--database", database});
    if (!result) {
        return std::unexpected(result.error());
    }
    if (result->exitCode != 0) {
        return std::unexpected("team-code exited with " + std::to_string(result->exitCode) + ": " + result->err);
    }
    std::string code = result->out;
    while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) {
        code.pop_back();
    }
    if (code.empty() || code.find('\n') != std::string::npos) {
        // Not echoed: it may hold a code.
        return std::unexpected("team-code printed " + std::to_string(result->out.size()) + " bytes, not one line");
    }
    return code;
}

} // namespace coffer::tests
