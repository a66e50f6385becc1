// SPDX-License-Identifier: Apache-2.0
#include "app/coffer-cli/FrontEnd.h"

#include "agent/core/Frame.h"
#include "agent/core/Sockets.h"

#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace coffer::cli::front {

namespace {

/// cli::ExitCode::Failed (cli/ExitCode.h): what the full CLI exits with for a denied consent or a failed write.
constexpr int kExitFailed = 5;
/// agent::client::Target's default: the reply includes the time the user takes to approve.
constexpr auto kReplyTimeout = std::chrono::minutes(3);

/// The reply's bytes (the value among them): locked in memory while held, wiped before they are freed.
class WipedBuffer {
public:
    WipedBuffer() = default;
    WipedBuffer(const WipedBuffer&) = delete;
    WipedBuffer& operator=(const WipedBuffer&) = delete;
    ~WipedBuffer() { release(); }

    std::span<std::byte> allocate(std::size_t size) {
        release();
        m_data = static_cast<std::byte*>(std::malloc(size == 0 ? 1 : size));
        if (m_data == nullptr) {
            return {};
        }
        m_size = size;
        m_locked = ::mlock(m_data, m_size) == 0;
        return {m_data, m_size};
    }

private:
    void release() {
        if (m_data != nullptr) {
            ::explicit_bzero(m_data, m_size);
            if (m_locked) {
                ::munlock(m_data, m_size);
            }
            std::free(m_data);
        }
        m_data = nullptr;
        m_size = 0;
        m_locked = false;
    }

    std::byte* m_data = nullptr;
    std::size_t m_size = 0;
    bool m_locked = false;
};

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

/// 1..INT_MAX in plain decimal digits, as Session::intOption() accepts for --version (anything else: nullopt,
/// and the full CLI gives the usage error).
std::optional<int> versionNumber(std::string_view text) {
    if (text.empty() || text.size() > 10) {
        return std::nullopt;
    }
    long long number = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        number = number * 10 + (c - '0');
    }
    if (number < 1 || number > INT_MAX) {
        return std::nullopt;
    }
    return static_cast<int>(number);
}

/// PROJECT/ENV/NAME: exactly three non-empty parts.
bool splitAddress(std::string_view text, GetRequest& request) {
    const auto first = text.find('/');
    if (first == std::string_view::npos) {
        return false;
    }
    const auto second = text.find('/', first + 1);
    if (second == std::string_view::npos || text.find('/', second + 1) != std::string_view::npos) {
        return false;
    }
    request.project = text.substr(0, first);
    request.environment = text.substr(first + 1, second - first - 1);
    request.name = text.substr(second + 1);
    return !request.project.empty() && !request.environment.empty() && !request.name.empty();
}

std::string_view textOf(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::byte> bytesOf(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

bool writeAll(int fd, std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return false;
        }
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
    return true;
}

void printError(std::string_view message) {
    std::string line = "coffer-cli: ";
    line += message;
    line += '\n';
    (void)writeAll(STDERR_FILENO, bytesOf(line));
}

} // namespace

std::optional<GetRequest> parseGet(std::span<const char* const> args) {
    GetRequest request;
    bool command = false;
    bool address = false;
    bool vault = false;
    bool version = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        // --NAME VALUE or --NAME=VALUE; the value of the option at i, or nullopt when there is none.
        auto valueOf = [&](std::string_view option) -> std::optional<std::string_view> {
            if (arg == option) {
                if (i + 1 >= args.size()) {
                    return std::nullopt;
                }
                return std::string_view(args[++i]);
            }
            return arg.substr(option.size() + 1);
        };
        if (arg == "--vault" || startsWith(arg, "--vault=")) {
            const auto value = valueOf("--vault");
            if (vault || !value || value->empty()) {
                return std::nullopt;
            }
            request.vaultOption = *value;
            vault = true;
        } else if (!command) {
            if (arg != "get") {
                return std::nullopt; // another command, or a global option the front end leaves to the full CLI
            }
            command = true;
        } else if (arg == "--raw") {
            if (request.raw) {
                return std::nullopt;
            }
            request.raw = true;
        } else if (arg == "--version" || startsWith(arg, "--version=")) {
            const auto value = valueOf("--version");
            if (version || !value) {
                return std::nullopt;
            }
            request.version = versionNumber(*value);
            if (!request.version) {
                return std::nullopt;
            }
            version = true;
        } else if (startsWith(arg, "-") || address || !splitAddress(arg, request)) {
            return std::nullopt;
        } else {
            address = true;
        }
    }
    if (!command || !address) {
        return std::nullopt;
    }
    return request;
}

std::optional<std::string> canonicalVault(const GetRequest& request) {
    std::string path = request.vaultOption;
    if (path.empty()) {
        if (const char* fromEnvironment = std::getenv("COFFER_VAULT");
            fromEnvironment != nullptr && *fromEnvironment != '\0') {
            path = fromEnvironment;
        }
    }
    if (path.empty()) {
        // model::Vault::defaultPath(): a relative XDG_DATA_HOME is invalid and ignored.
        const char* dataHome = std::getenv("XDG_DATA_HOME");
        if (dataHome != nullptr && dataHome[0] == '/') {
            path = dataHome;
        } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
            path = std::string(home) + "/.local/share";
        } else {
            return std::nullopt;
        }
        path += "/coffer/default.coffer";
    }
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) {
        return std::nullopt;
    }
    return std::string(resolved);
}

std::optional<int> answerGet(const GetRequest& request, const std::string& vault, const std::string& socketPath) {
    const auto fd = agent::sockets::connectTo(socketPath);
    if (!fd) {
        return std::nullopt;
    }
    // The request agent::client::reveal() sends.
    const std::string version = request.version ? std::to_string(*request.version) : std::string();
    std::vector<agent::frame::FieldView> fields{
        {"op", bytesOf("get")},
        {"project", bytesOf(request.project)},
        {"environment", bytesOf(request.environment)},
        {"name", bytesOf(request.name)},
    };
    if (request.version) {
        fields.push_back({"version", bytesOf(version)});
    }
    fields.push_back({"raw", bytesOf(request.raw ? "1" : "0")});
    fields.push_back({"vault", bytesOf(vault)});
    std::vector<std::byte> frame(agent::frame::frameSize(fields));
    agent::frame::encodeFrame(fields, frame);
    const auto sent = agent::frame::writeBytes(*fd, frame, std::chrono::seconds(10));
    // A refusal (another uid) may arrive before the request is even read: read the reply either way.
    WipedBuffer buffer;
    const auto body = agent::frame::readBody(*fd, agent::frame::kMaxResponseBytes, kReplyTimeout,
                                             [&](std::size_t size) { return buffer.allocate(size); });
    ::close(*fd);
    if (!sent || !body) {
        return std::nullopt;
    }
    std::string_view status;
    std::string_view error;
    std::optional<std::span<const std::byte>> value;
    const auto decoded = agent::frame::decodeBody(*body, [&](std::string_view key, std::span<const std::byte> bytes) {
        if (key == "status" && status.empty()) {
            status = textOf(bytes);
        } else if (key == "error" && error.empty()) {
            error = textOf(bytes);
        } else if (key == "value" && !value) {
            value = bytes;
        }
    });
    if (!decoded) {
        return std::nullopt;
    }
    if (status == "ok" && value) {
        if (!writeAll(STDOUT_FILENO, *value)) {
            printError("cannot write the value to standard output");
            return kExitFailed;
        }
        return 0;
    }
    // Denied: asking again through the full CLI would ask the user a second time.
    if (status != "ok" && agent::errorNamed(error) == agent::AgentError::ConsentDenied) {
        printError(agent::sentenceFor(agent::AgentError::ConsentDenied));
        return kExitFailed;
    }
    return std::nullopt;
}

std::string fullCliPath() {
    std::array<char, PATH_MAX> self{};
    const ssize_t length = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
    if (length <= 0) {
        return {};
    }
    std::string folder(self.data(), static_cast<std::size_t>(length));
    folder.erase(folder.find_last_of('/'));
    return folder + "/" COFFER_FULL_CLI_RELATIVE_PATH;
}

} // namespace coffer::cli::front
