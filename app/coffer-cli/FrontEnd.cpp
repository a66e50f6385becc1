// SPDX-License-Identifier: Apache-2.0
#include "app/coffer-cli/FrontEnd.h"

#include "agent/core/Frame.h"
#include "agent/core/Sockets.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
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

/// PROJECT/ENV/NAME (`parts` 3) or PROJECT/ENV (`parts` 2): exactly that many non-empty parts.
bool splitAddress(std::string_view text, int parts, std::string& project, std::string& environment, std::string& name) {
    const auto first = text.find('/');
    if (first == std::string_view::npos) {
        return false;
    }
    const auto second = text.find('/', first + 1);
    if (parts == 2) {
        project = text.substr(0, first);
        environment = text.substr(first + 1);
        return second == std::string_view::npos && !project.empty() && !environment.empty();
    }
    if (second == std::string_view::npos || text.find('/', second + 1) != std::string_view::npos) {
        return false;
    }
    project = text.substr(0, first);
    environment = text.substr(first + 1, second - first - 1);
    name = text.substr(second + 1);
    return !project.empty() && !environment.empty() && !name.empty();
}

std::string_view textOf(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::byte> bytesOf(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

/// The value of the option at args[i] given as `--name value` (i then moves past the value) or `--name=value`;
/// nullopt when `--name` is last.
std::optional<std::string_view> optionValue(std::span<const char* const> args, std::size_t& i,
                                            std::string_view option) {
    const std::string_view arg = args[i];
    if (arg == option) {
        if (i + 1 >= args.size()) {
            return std::nullopt;
        }
        return std::string_view(args[++i]);
    }
    return arg.substr(option.size() + 1);
}

enum class VaultOption { Absent, Taken, Invalid };

/// --vault PATH or --vault=PATH at args[i]: stored in `vaultOption`. Invalid when given twice, empty or without
/// a value.
VaultOption takeVault(std::span<const char* const> args, std::size_t& i, std::string& vaultOption, bool& seen) {
    const std::string_view arg = args[i];
    if (arg != "--vault" && !startsWith(arg, "--vault=")) {
        return VaultOption::Absent;
    }
    const auto value = optionValue(args, i, "--vault");
    if (seen || !value || value->empty()) {
        return VaultOption::Invalid;
    }
    vaultOption = *value;
    seen = true;
    return VaultOption::Taken;
}

/// Reads a command line the front end may answer: --vault PATH anywhere (at most once), `command`, then one
/// address of `parts` parts (splitAddress) and whatever `option(arg, i)` accepts (true: taken; it may move i past
/// a value). False for anything else: the full CLI reads that command line.
template <typename Option>
bool readCommandLine(std::span<const char* const> args, std::string_view command, int parts, std::string& vaultOption,
                     std::string& project, std::string& environment, std::string& name, Option option) {
    bool commandSeen = false;
    bool address = false;
    bool vault = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (const auto taken = takeVault(args, i, vaultOption, vault); taken != VaultOption::Absent) {
            if (taken == VaultOption::Invalid) {
                return false;
            }
        } else if (!commandSeen) {
            if (arg != command) {
                return false; // another command, or a global option the front end leaves to the full CLI
            }
            commandSeen = true;
        } else if (startsWith(arg, "-")) {
            if (!option(arg, i)) {
                return false;
            }
        } else if (address || !splitAddress(arg, parts, project, environment, name)) {
            return false;
        } else {
            address = true;
        }
    }
    return commandSeen && address;
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

/// Sends one request to the agent at `socketPath` and reads the reply's body into `buffer`. nullopt when there is
/// no agent or either direction fails: the full CLI then asks and reports.
std::optional<std::span<const std::byte>> exchange(std::span<const agent::frame::FieldView> fields,
                                                   const std::string& socketPath, WipedBuffer& buffer) {
    const auto fd = agent::sockets::connectTo(socketPath);
    if (!fd) {
        return std::nullopt;
    }
    std::vector<std::byte> frame(agent::frame::frameSize(fields));
    agent::frame::encodeFrame(fields, frame);
    const auto sent = agent::frame::writeBytes(*fd, frame, std::chrono::seconds(10));
    // A refusal (another uid) may arrive before the request is even read: read the reply either way.
    const auto body = agent::frame::readBody(*fd, agent::frame::kMaxResponseBytes, kReplyTimeout,
                                             [&](std::size_t size) { return buffer.allocate(size); });
    ::close(*fd);
    if (!sent || !body) {
        return std::nullopt;
    }
    return *body;
}

/// The status and error every reply carries.
struct Reply {
    std::string_view status;
    std::string_view error;

    /// Takes `key` if it is one of the two (their first occurrence counts); false for any other field.
    bool take(std::string_view key, std::span<const std::byte> bytes) {
        if (key == "status" || key == "error") {
            auto& field = key == "status" ? status : error;
            if (field.empty()) {
                field = textOf(bytes);
            }
            return true;
        }
        return false;
    }

    /// For a reply that is not ok: a denied consent ends here (asking again through the full CLI would ask the
    /// user a second time), with the full CLI's words and exit code; for anything else the full CLI takes over.
    [[nodiscard]] std::optional<int> refusal() const {
        if (status != "ok" && agent::errorNamed(error) == agent::AgentError::ConsentDenied) {
            printError(agent::sentenceFor(agent::AgentError::ConsentDenied));
            return kExitFailed;
        }
        return std::nullopt;
    }
};

/// Plain decimal digits with an optional minus, as the agent writes numbers (std::to_chars); false for anything
/// else or a value out of range.
template <typename Number> bool decimal(std::string_view text, Number& number) {
    const char* end = text.data() + text.size();
    const auto [stop, failed] = std::from_chars(text.data(), end, number);
    return failed == std::errc() && stop == end && !text.empty();
}

} // namespace

std::optional<GetRequest> parseGet(std::span<const char* const> args) {
    GetRequest request;
    bool version = false;
    const bool read = readCommandLine(args, "get", 3, request.vaultOption, request.project, request.environment,
                                      request.name, [&](std::string_view arg, std::size_t& i) {
                                          if (arg == "--raw") {
                                              const bool first = !request.raw;
                                              request.raw = true;
                                              return first;
                                          }
                                          if (arg == "--version" || startsWith(arg, "--version=")) {
                                              const auto value = optionValue(args, i, "--version");
                                              if (version || !value) {
                                                  return false;
                                              }
                                              request.version = versionNumber(*value);
                                              version = true;
                                              return request.version.has_value();
                                          }
                                          return false;
                                      });
    return read ? std::optional(std::move(request)) : std::nullopt;
}

std::optional<ListRequest> parseList(std::span<const char* const> args) {
    ListRequest request;
    std::string noName;
    const bool read = readCommandLine(args, "ls", 2, request.vaultOption, request.project, request.environment, noName,
                                      [](std::string_view, std::size_t&) { return false; });
    return read ? std::optional(std::move(request)) : std::nullopt;
}

std::optional<std::string> canonicalVault(const std::string& vaultOption) {
    std::string path = vaultOption;
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
    WipedBuffer buffer;
    const auto body = exchange(fields, socketPath, buffer);
    if (!body) {
        return std::nullopt;
    }
    Reply reply;
    std::optional<std::span<const std::byte>> value;
    const auto decoded = agent::frame::decodeBody(*body, [&](std::string_view key, std::span<const std::byte> bytes) {
        if (!reply.take(key, bytes) && key == "value" && !value) {
            value = bytes;
        }
    });
    if (!decoded) {
        return std::nullopt;
    }
    if (reply.status == "ok" && value) {
        if (!writeAll(STDOUT_FILENO, *value)) {
            printError("cannot write the value to standard output");
            return kExitFailed;
        }
        return 0;
    }
    return reply.refusal();
}

std::optional<int> answerList(const ListRequest& request, const std::string& vault, const std::string& socketPath) {
    // The request agent::client::secrets() sends.
    const std::vector<agent::frame::FieldView> fields{
        {"op", bytesOf("ls")},
        {"depth", bytesOf("2")},
        {"deleted", bytesOf("0")},
        {"project", bytesOf(request.project)},
        {"environment", bytesOf(request.environment)},
        {"name", bytesOf("")},
        {"vault", bytesOf(vault)},
    };
    WipedBuffer buffer;
    const auto body = exchange(fields, socketPath, buffer);
    if (!body) {
        return std::nullopt;
    }
    Reply reply;
    // Each secret's fields in these lists, in the order the agent sends them (agent/Operations.cpp).
    std::vector<std::string_view> names, versions, updated, authors, tags, notes, deleted;
    const std::array<std::pair<std::string_view, std::vector<std::string_view>*>, 7> lists{{{"name", &names},
                                                                                            {"version", &versions},
                                                                                            {"updated", &updated},
                                                                                            {"by", &authors},
                                                                                            {"tags", &tags},
                                                                                            {"note", &notes},
                                                                                            {"deleted", &deleted}}};
    const auto decoded = agent::frame::decodeBody(*body, [&](std::string_view key, std::span<const std::byte> bytes) {
        if (reply.take(key, bytes)) {
            return;
        }
        for (const auto& [field, list] : lists) {
            if (key == field) {
                list->push_back(textOf(bytes));
                return;
            }
        }
    });
    if (!decoded) {
        return std::nullopt;
    }
    if (reply.status != "ok") {
        return reply.refusal();
    }
    const std::size_t count = names.size();
    if (versions.size() != count || updated.size() != count || authors.size() != count || tags.size() != count ||
        notes.size() != count || deleted.size() != count) {
        return std::nullopt; // the full CLI reports the malformed reply
    }
    std::vector<SecretLine> rows(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto& row = rows[i];
        if (!decimal(versions[i], row.version) || !decimal(updated[i], row.updatedMs)) {
            return std::nullopt;
        }
        row.name = names[i];
        row.by = authors[i];
        row.tags = tags[i];
        row.deleted = deleted[i] == "1";
    }
    const auto table = secretTable(rows);
    if (!table) {
        return std::nullopt;
    }
    (void)writeAll(STDOUT_FILENO, bytesOf(*table)); // as the full CLI's printOut: a closed pipe is not an error
    return 0;
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
