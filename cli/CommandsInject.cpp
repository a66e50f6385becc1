// SPDX-License-Identifier: Apache-2.0
// inject: coffer://PROJECT/ENV/NAME in any text file replaced by the secrets' values, to stdout or, safely,
// to a file (atomic, 0600, never through a symlink, never into a file git tracks or may pick up).
#include "cli/Commands.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "cli/SecretInjection.h"
#include "cli/Terminal.h"
#include "model/GitCheck.h"
#include "model/References.h"
#include "model/SafeFile.h"

#include <QFile>
#include <QFileInfo>
#include <QMap>

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

/// A template is a text file someone edits; past this it is not one.
constexpr std::size_t kMaxTemplateBytes = 8 * 1024 * 1024;

Outcome<crypto::SecureBuffer> readTemplate(const QString& path) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(ExitCode::Failed, u"cannot read %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    auto text = readAll(fd, kMaxTemplateBytes + 1, path);
    ::close(fd);
    if (text && text->size() > kMaxTemplateBytes) {
        return fail(ExitCode::Failed, u"%1 is larger than %2 bytes"_s.arg(path).arg(kMaxTemplateBytes));
    }
    return text;
}

/// Refuses a target git tracks, and one git might pick up unless --allow-unignored (as export does).
Outcome<void> checkGit(const Session& session, const QString& path) {
    const auto git = model::gitStatus(path);
    const QString advice = u"add this line to %1/.gitignore: %2"_s.arg(git.workTree, git.ignoreLine);
    if (git.state == model::GitState::Tracked) {
        return fail(ExitCode::Failed, u"%1 is tracked by git: secrets written there would be committed. Untrack it "
                                      u"(git rm --cached -- %1), then %2"_s.arg(path, advice));
    }
    if (git.state == model::GitState::NotIgnored && !session.flag(u"allow-unignored"_s)) {
        return fail(ExitCode::Failed, u"%1 is inside the git work tree %2 and not ignored: one `git add` would commit "
                                      u"the secrets. %3, or pass --allow-unignored"_s.arg(path, git.workTree, advice));
    }
    return {};
}

} // namespace

Outcome<void> inject(Session& session) {
    std::optional<QString> input = session.option(u"input"_s);
    if (!session.arguments().isEmpty()) {
        if (input) {
            return usageError(u"give the template once: either TEMPLATE or --input TEMPLATE"_s);
        }
        input = session.argument(0);
    }
    if (!input || input->isEmpty()) {
        return usageError(u"inject needs a TEMPLATE: the file whose coffer:// references are replaced"_s);
    }
    std::optional<QString> output;
    if (const auto given = session.option(u"output"_s)) {
        if (given->isEmpty()) {
            return usageError(u"-o needs a file name"_s);
        }
        output = QFileInfo(*given).absoluteFilePath();
    }
    // Everything that can be checked without the vault is, before the password is asked for.
    const auto text = readTemplate(*input);
    if (!text) {
        return std::unexpected(text.error());
    }
    const auto references = findCofferReferences(text->bytes());
    if (!references) {
        return fail(references.error().code, u"%1: %2"_s.arg(*input, references.error().message));
    }
    if (output) {
        if (auto writable = model::checkWritableTarget(*output); !writable) {
            return fail(ExitCode::Failed, u"cannot write %1: %2"_s.arg(*output, writable.error().detail));
        }
        if (auto git = checkGit(session, *output); !git) {
            return git;
        }
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        // Each distinct secret is read and resolved once, however often the template names it.
        QMap<QString, std::size_t> index;
        std::vector<crypto::SecureBuffer> values;
        QStringList protectedScopes;
        QStringList names;
        for (const auto& reference : *references) {
            const QString path = reference.address.text();
            if (index.contains(path)) {
                continue;
            }
            const auto located = locateSecret(store, reference.address, false);
            if (!located) {
                return fail(located.error().code, u"%1 names %2: %3"_s.arg(*input, path, located.error().message));
            }
            const auto& environment = located->environment;
            const auto& secret = located->secret;
            const auto stored = store.value(secret.id);
            if (!stored) {
                return std::unexpected(failure(stored.error()));
            }
            auto resolved = lift(model::resolveReferences(store, environment.id, stored->bytes()));
            if (!resolved) {
                return fail(resolved.error().code, u"%1: %2"_s.arg(path, resolved.error().message));
            }
            const QString scope = Address{reference.address.project, reference.address.environment, {}}.text();
            if (environment.isProtected && !protectedScopes.contains(scope)) {
                protectedScopes << scope;
            }
            index.insert(path, values.size());
            values.push_back(std::move(*resolved));
            names << path;
        }
        if (!protectedScopes.isEmpty()) {
            const QString question = u"Inject secrets of the protected environment %1 into %2?"_s.arg(
                protectedScopes.join(u", "_s), output.value_or(u"standard output"_s));
            if (auto confirmed = confirmOnTerminal(session, question, u"inject cancelled"_s); !confirmed) {
                return confirmed;
            }
        }
        // Audited before anything is written: names only, never values.
        const QString detail = u"coffer-cli inject %1 to %2; names: %3"_s.arg(
            QFileInfo(*input).fileName(), output.value_or(u"standard output"_s), names.join(u", "_s));
        if (auto audited = store.audit(u"inject"_s, {}, {}, {}, detail); !audited) {
            return std::unexpected(failure(audited.error()));
        }

        std::string result;
        const std::string_view source = text->view();
        std::size_t from = 0;
        for (const auto& reference : *references) {
            result.append(source.substr(from, reference.offset - from));
            result.append(values.at(index.value(reference.address.text())).view());
            from = reference.offset + reference.length;
        }
        result.append(source.substr(from));
        auto injected = crypto::SecureBuffer::copyOf(std::string_view(result));
        crypto::wipe(result);
        if (!output) {
            if (!writeAll(STDOUT_FILENO, injected.bytes())) {
                return fail(ExitCode::Failed, u"cannot write to standard output"_s);
            }
            return {};
        }
        if (auto written = model::writeFileAtomically(*output, injected.bytes()); !written) {
            return fail(ExitCode::Failed, u"cannot write %1: %2"_s.arg(*output, written.error().detail));
        }
        printLine(u"Wrote %1 secret(s) into %2 (mode 0600)."_s.arg(values.size()).arg(*output));
        return {};
    });
}

} // namespace coffer::cli::commands
