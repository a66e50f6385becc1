// SPDX-License-Identifier: Apache-2.0
// inject: coffer://PROJECT/ENV/NAME in any text file replaced by the secrets' values, to stdout or, safely,
// to a file (atomic, 0600, never through a symlink, never into a file git tracks or may pick up).
#include "agent/AgentError.h"
#include "agent/VaultReads.h"
#include "cli/AgentAccess.h"
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
    // Each distinct secret is read and resolved once, however often the template names it.
    QMap<QString, std::size_t> index;
    std::vector<agent::reads::Path> distinct;
    for (const auto& reference : *references) {
        const QString path = reference.address.text();
        if (!index.contains(path)) {
            index.insert(path, distinct.size());
            distinct.push_back(
                agent::reads::Path{reference.address.project, reference.address.environment, reference.address.secret});
        }
    }
    const QString where = output.value_or(u"standard output"_s);
    auto readFailed = [&](const agent::reads::ReadError& error) {
        const QString message = error.lookup ? u"%1 names %2: %3"_s.arg(*input, error.reference, error.message)
                                             : u"%1: %2"_s.arg(error.reference, error.message);
        return Failure{exitCodeFor(error.code), message};
    };
    // After the audit: the template with each reference replaced, written the same way whichever path read it.
    auto write = [&](const agent::reads::Gathered& gathered) -> Outcome<void> {
        std::string result;
        const std::string_view source = text->view();
        std::size_t from = 0;
        for (const auto& reference : *references) {
            result.append(source.substr(from, reference.offset - from));
            result.append(gathered.variables.at(index.value(reference.address.text())).value.view());
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
        printLine(u"Wrote %1 secret(s) into %2 (mode 0600)."_s.arg(gathered.variables.size()).arg(*output));
        return {};
    };
    const QString inputName = QFileInfo(*input).fileName();
    if (const auto target = agentTarget(session)) {
        // The agent asks consent for protected environments and audits before it answers.
        auto gathered = agent::client::injectValues(*target, distinct, inputName, where);
        if (gathered) {
            if (gathered->variables.size() != distinct.size()) {
                return fail(ExitCode::Failed, agent::describe(agent::AgentError::Malformed));
            }
            return write(*gathered);
        }
        if (gathered.error().error == agent::AgentError::VaultError) {
            return std::unexpected(readFailed(gathered.error().vault));
        }
        if (auto failed = agentFailure(gathered.error())) {
            return std::unexpected(*failed);
        }
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto gathered = agent::reads::referenceValues(store, distinct);
        if (!gathered) {
            return std::unexpected(readFailed(gathered.error()));
        }
        if (!gathered->protectedScopes.isEmpty()) {
            const QString question = u"Inject secrets of the protected environment %1 into %2?"_s.arg(
                gathered->protectedScopes.join(u", "_s), where);
            if (auto confirmed = confirmOnTerminal(session, question, u"inject cancelled"_s); !confirmed) {
                return confirmed;
            }
        }
        QStringList names;
        for (const auto& path : distinct) {
            names << path.text();
        }
        // Audited before anything is written: names only, never values.
        if (auto audited = store.audit(u"inject"_s, {}, {}, {}, agent::reads::injectDetail(inputName, where, names));
            !audited) {
            return std::unexpected(failure(audited.error()));
        }
        return write(*gathered);
    });
}

} // namespace coffer::cli::commands
