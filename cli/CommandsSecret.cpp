// SPDX-License-Identifier: Apache-2.0
// set, get, rm, restore and rename: one secret at a PROJECT/ENV/NAME address.
#include "agent/VaultReads.h"
#include "cli/AgentAccess.h"
#include "cli/Commands.h"
#include "cli/Lookup.h"
#include "cli/Output.h"
#include "cli/Terminal.h"
#include "model/Names.h"
#include "model/References.h"

#include <climits>
#include <span>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli::commands {

namespace {

Outcome<Address> secretAddress(const Session& session) {
    auto address = addressArgument(session, 3);
    if (!address) {
        return address;
    }
    if (auto valid = model::checkSecretName(address->secret); !valid) {
        return std::unexpected(failure(valid.error()));
    }
    return address;
}

QString tooLargeMessage() {
    return u"the value is larger than 1 MiB (%1 bytes), the most a secret can hold; store a reference to the "
           u"data (a path or a key) instead"_s.arg(model::kMaxValueBytes);
}

/// A value read from standard input: exactly its bytes, minus one "\n" with --trim-newline.
Outcome<crypto::SecureBuffer> valueFromStdin(bool trimNewline) {
    // Two bytes over the limit: even after trimming a newline the value is then still too large.
    auto value = readAll(STDIN_FILENO, model::kMaxValueBytes + 2, u"standard input"_s);
    if (!value) {
        return value;
    }
    std::size_t size = value->size();
    if (trimNewline && size > 0 && value->data()[size - 1] == std::byte{'\n'}) {
        --size;
    }
    if (size > model::kMaxValueBytes) {
        return fail(ExitCode::Failed, tooLargeMessage());
    }
    if (size == value->size()) {
        return value;
    }
    return crypto::SecureBuffer::copyOf(std::span<const std::byte>(value->data(), size));
}

Outcome<crypto::SecureBuffer> valueFromTerminal(const Address& address) {
    auto terminal = Terminal::open(u"pipe the value on standard input instead"_s);
    if (!terminal) {
        return std::unexpected(terminal.error());
    }
    // A terminal line holds at most 4096 bytes in canonical mode; longer values come through a pipe.
    constexpr std::size_t kMaxTypedBytes = 4096;
    return terminal->readHiddenTwice(u"Value for %1: "_s.arg(address.text()), u"Repeat the value: "_s, kMaxTypedBytes);
}

} // namespace

Outcome<void> set(Session& session) {
    const auto address = secretAddress(session);
    if (!address) {
        return std::unexpected(address.error());
    }
    model::SecretEdit edit;
    if (const auto note = session.option(u"note"_s)) {
        edit.note = *note;
    }
    if (session.flag(u"tag"_s)) {
        edit.tags = session.options(u"tag"_s);
    }
    // A piped value is read before the slow unlock, so an oversized one fails at once; a typed one is
    // asked for after the password, once we know the environment exists.
    const bool typed = stdinIsTerminal();
    std::optional<crypto::SecureBuffer> piped;
    if (!typed) {
        auto value = valueFromStdin(session.flag(u"trim-newline"_s));
        if (!value) {
            return std::unexpected(value.error());
        }
        piped = std::move(*value);
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto environment = findEnvironment(store, *address);
        if (!environment) {
            return std::unexpected(environment.error());
        }
        auto value = typed ? valueFromTerminal(*address) : Outcome<crypto::SecureBuffer>(std::move(*piped));
        if (!value) {
            return std::unexpected(value.error());
        }
        const auto stored = store.setSecret(environment->id, address->secret, value->bytes(), edit);
        if (!stored) {
            if (stored.error().code == model::ErrorCode::TooLarge) {
                return fail(ExitCode::Failed, tooLargeMessage());
            }
            return std::unexpected(failure(stored.error()));
        }
        printLine(u"Stored %1 (version %2)."_s.arg(address->text()).arg(stored->version));
        return {};
    });
}

Outcome<void> get(Session& session) {
    const auto address = addressArgument(session, 3);
    if (!address) {
        return std::unexpected(address.error());
    }
    const auto version = session.intOption(u"version"_s, 1, INT_MAX);
    if (!version) {
        return std::unexpected(version.error());
    }
    const agent::reads::Path path{address->project, address->environment, address->secret};
    const bool raw = session.flag(u"raw"_s);
    auto print = [](const crypto::SecureBuffer& value) -> Outcome<void> {
        if (!writeAll(STDOUT_FILENO, value.bytes())) {
            return fail(ExitCode::Failed, u"cannot write the value to standard output"_s);
        }
        return {};
    };
    if (const auto target = agentTarget(session)) {
        // The agent reads, asks consent for a protected environment and audits; we only print.
        const auto value = agent::client::reveal(*target, path, *version, raw);
        if (value) {
            return print(*value);
        }
        if (auto failed = agentFailure(value.error())) {
            return std::unexpected(*failed);
        }
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto revealed = agent::reads::reveal(store, path, *version, raw);
        if (!revealed) {
            return std::unexpected(readFailure(revealed.error()));
        }
        // Audited before it is shown: a reveal that cannot be recorded does not happen.
        if (auto audited = store.audit(u"reveal"_s, address->project, address->environment, address->secret,
                                       agent::reads::revealDetail(revealed->version));
            !audited) {
            return std::unexpected(failure(audited.error()));
        }
        return print(revealed->value);
    });
}

Outcome<void> remove(Session& session) {
    const auto address = addressArgument(session, 3);
    if (!address) {
        return std::unexpected(address.error());
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto located = locateSecret(store, *address, false);
        if (!located) {
            return std::unexpected(located.error());
        }
        const auto& secret = located->secret;
        const auto deleted = store.deleteSecret(secret.id);
        if (!deleted) {
            return std::unexpected(failure(deleted.error()));
        }
        printLine(u"Deleted %1 (version %2). To undo: coffer-cli restore %1 --version %3"_s.arg(address->text())
                      .arg(deleted->version)
                      .arg(secret.version));
        return {};
    });
}

Outcome<void> restore(Session& session) {
    const auto address = addressArgument(session, 3);
    if (!address) {
        return std::unexpected(address.error());
    }
    const auto version = session.intOption(u"version"_s, 1, INT_MAX);
    if (!version) {
        return std::unexpected(version.error());
    }
    if (!*version) {
        return usageError(
            u"restore needs --version N: the version whose content comes back (see coffer-cli history %1)"_s.arg(
                address->text()));
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto located = locateSecret(store, *address, true);
        if (!located) {
            return std::unexpected(located.error());
        }
        const auto& secret = located->secret;
        const auto restored = store.restoreVersion(secret.id, **version);
        if (!restored) {
            return std::unexpected(failure(restored.error()));
        }
        printLine(u"Restored %1 to the content of version %2 (now version %3)."_s
                      .arg(Address{address->project, address->environment, restored->name}.text())
                      .arg(**version)
                      .arg(restored->version));
        return {};
    });
}

Outcome<void> rename(Session& session) {
    const auto address = addressArgument(session, 3);
    if (!address) {
        return std::unexpected(address.error());
    }
    const QString newName = session.argument(1);
    if (auto valid = model::checkSecretName(newName); !valid) {
        return std::unexpected(failure(valid.error()));
    }
    return withStore(session, [&](model::Store& store) -> Outcome<void> {
        const auto located = locateSecret(store, *address, false);
        if (!located) {
            return std::unexpected(located.error());
        }
        const auto& secret = located->secret;
        const auto renamed = store.renameSecret(secret.id, newName);
        if (!renamed) {
            return std::unexpected(failure(renamed.error()));
        }
        printLine(u"Renamed %1 to %2 (version %3)."_s
                      .arg(address->text(), Address{address->project, address->environment, newName}.text())
                      .arg(renamed->version));
        return {};
    });
}

} // namespace coffer::cli::commands
