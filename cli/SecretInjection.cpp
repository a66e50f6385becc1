// SPDX-License-Identifier: Apache-2.0
#include "cli/SecretInjection.h"

#include "cli/Output.h"
#include "cli/Session.h"

#include <QByteArray>
#include <QSet>

#include <algorithm>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

constexpr std::string_view kScheme = "coffer://";

bool isScopeChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

bool isNameChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

std::size_t runOf(std::string_view text, std::size_t from, bool (*allowed)(char)) {
    std::size_t end = from;
    while (end < text.size() && allowed(text[end])) {
        ++end;
    }
    return end;
}

} // namespace

Outcome<std::vector<CofferReference>> findCofferReferences(std::span<const std::byte> bytes) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    std::vector<CofferReference> references;
    for (auto at = text.find(kScheme); at != std::string_view::npos; at = text.find(kScheme, at + 1)) {
        const std::size_t projectBegin = at + kScheme.size();
        const std::size_t projectEnd = runOf(text, projectBegin, isScopeChar);
        const std::size_t environmentBegin = projectEnd + 1;
        const std::size_t environmentEnd =
            projectEnd < text.size() && text[projectEnd] == '/' ? runOf(text, environmentBegin, isScopeChar) : 0;
        const std::size_t nameBegin = environmentEnd + 1;
        const std::size_t nameEnd = environmentEnd != 0 && environmentEnd < text.size() && text[environmentEnd] == '/'
                                        ? runOf(text, nameBegin, isNameChar)
                                        : 0;
        if (projectEnd == projectBegin || environmentEnd <= environmentBegin || nameEnd <= nameBegin) {
            const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
            return usageError(u"line %1: coffer:// must be followed by PROJECT/ENV/NAME"_s.arg(line));
        }
        auto part = [&](std::size_t begin, std::size_t end) {
            return QString::fromLatin1(text.data() + begin, static_cast<qsizetype>(end - begin));
        };
        references.push_back(CofferReference{
            at, nameEnd - at,
            Address{part(projectBegin, projectEnd), part(environmentBegin, environmentEnd), part(nameBegin, nameEnd)}});
    }
    return references;
}

bool changesProgramLoading(const QString& name) {
    // The dynamic loaders read every LD_* (glibc) and DYLD_* (macOS) variable; the rest make an
    // interpreter or shell run code or load modules of the variable's choosing before the program's own,
    // or (PATH, GLIBC_TUNABLES) change what runs and how.
    static const QSet<QString> exact{
        u"BASH_ENV"_s,    u"BASHOPTS"_s,          u"ENV"_s,           u"SHELLOPTS"_s,
        u"PS4"_s,         u"PROMPT_COMMAND"_s,    u"IFS"_s,           u"PATH"_s,
        u"GCONV_PATH"_s,  u"GLIBC_TUNABLES"_s,    u"LOCPATH"_s,       u"NLSPATH"_s,
        u"HOSTALIASES"_s, u"MALLOC_CHECK_"_s,     u"NODE_OPTIONS"_s,  u"NODE_PATH"_s,
        u"PYTHONPATH"_s,  u"PYTHONSTARTUP"_s,     u"PYTHONHOME"_s,    u"PYTHONINSPECT"_s,
        u"PERL5OPT"_s,    u"PERL5LIB"_s,          u"PERLLIB"_s,       u"RUBYOPT"_s,
        u"RUBYLIB"_s,     u"JAVA_TOOL_OPTIONS"_s, u"_JAVA_OPTIONS"_s, u"JDK_JAVA_OPTIONS"_s,
    };
    return exact.contains(name) || name.startsWith(u"LD_"_s) || name.startsWith(u"DYLD_"_s);
}

QStringList refusedNames(const QStringList& names, const QStringList& allowed) {
    QStringList refused;
    for (const auto& name : names) {
        if (changesProgramLoading(name) && !allowed.contains(name) && !refused.contains(name)) {
            refused << name;
        }
    }
    return refused;
}

Outcome<void> confirmOnTerminal(const Session& session, const QString& question, const QString& cancelled) {
    if (session.flag(u"yes"_s)) {
        return {};
    }
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return fail(ExitCode::Failed,
                    u"%1 needs confirmation and there is no terminal to ask on; pass --yes to confirm"_s.arg(question));
    }
    const QByteArray prompt = (question + u" [y/N] "_s).toUtf8();
    [[maybe_unused]] const bool shown =
        writeAll(fd, std::as_bytes(std::span<const char>(prompt.constData(), static_cast<std::size_t>(prompt.size()))));
    QByteArray answer;
    char c = 0;
    while (answer.size() < 16 && ::read(fd, &c, 1) == 1 && c != '\n') {
        answer += c;
    }
    ::close(fd);
    const QByteArray word = answer.trimmed().toLower();
    if (word != "y" && word != "yes") {
        return fail(ExitCode::Failed, cancelled);
    }
    return {};
}

} // namespace coffer::cli
