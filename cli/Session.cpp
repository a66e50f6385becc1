// SPDX-License-Identifier: Apache-2.0
#include "cli/Session.h"

#include "cli/PasswordFile.h"
#include "cli/Terminal.h"

#include <QFileInfo>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::cli {

Session::Session(Invocation invocation)
    : m_invocation(std::move(invocation)) {}

Outcome<std::optional<int>> Session::intOption(const QString& name, int min, int max) const {
    const auto text = option(name);
    if (!text) {
        return std::nullopt;
    }
    bool ok = false;
    const int number = text->toInt(&ok);
    if (!ok || number < min || number > max) {
        return usageError(u"--%1 needs a whole number from %2 to %3"_s.arg(name).arg(min).arg(max));
    }
    return number;
}

QString Session::vaultPath() const {
    if (const auto path = option(u"vault"_s)) {
        return *path;
    }
    if (const QString path = qEnvironmentVariable("COFFER_VAULT"); !path.isEmpty()) {
        return path;
    }
    return model::Vault::defaultPath();
}

QString Session::author() {
    if (const QString user = qEnvironmentVariable("USER"); !user.isEmpty()) {
        return user;
    }
    if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_name != nullptr) {
        return QString::fromLocal8Bit(entry->pw_name);
    }
    return u"uid %1"_s.arg(::getuid());
}

Outcome<crypto::SecureBuffer> Session::password(const QString& prompt) const {
    if (const auto file = option(u"password-file"_s)) {
        return readPasswordFile(*file);
    }
    auto terminal = Terminal::open(u"give the password with --password-file FILE (owner-only, chmod 600)"_s);
    if (!terminal) {
        return std::unexpected(terminal.error());
    }
    return terminal->readHidden(prompt, kMaxPasswordBytes);
}

Outcome<crypto::SecureBuffer> Session::newPassword(const QString& fileOption) const {
    Outcome<crypto::SecureBuffer> password;
    if (const auto file = option(fileOption)) {
        password = readPasswordFile(*file);
    } else {
        auto terminal =
            Terminal::open(u"give the new password with --%1 FILE (owner-only, chmod 600)"_s.arg(fileOption));
        if (!terminal) {
            return std::unexpected(terminal.error());
        }
        password =
            terminal->readHiddenTwice(u"New vault password: "_s, u"Repeat the new password: "_s, kMaxPasswordBytes);
    }
    if (password && password->empty()) {
        return fail(ExitCode::Failed, u"the new password is empty; choose a long passphrase"_s);
    }
    return password;
}

Outcome<std::optional<model::KdfCost>> Session::kdfCost(const model::KdfCost& base) const {
    const auto passes = intOption(u"kdf-passes"_s, 1, 1 << 16);
    if (!passes) {
        return std::unexpected(passes.error());
    }
    const auto memory = intOption(u"kdf-memory"_s, 1, 1 << 20);
    if (!memory) {
        return std::unexpected(memory.error());
    }
    if (!*passes && !*memory) {
        return std::nullopt;
    }
    model::KdfCost cost = base;
    if (*passes) {
        cost.passes = static_cast<std::uint32_t>(**passes);
    }
    if (*memory) {
        cost.memoryMiB = static_cast<std::uint32_t>(**memory);
    }
    if (auto checked = cost.check(); !checked) {
        return std::unexpected(failure(checked.error()));
    }
    return cost;
}

Outcome<model::Vault> Session::unlock() const {
    const QString path = vaultPath();
    if (auto info = model::Vault::readInfo(path); !info) {
        Failure failed = failure(info.error());
        if (info.error().code == model::ErrorCode::FileMissing) {
            failed.message += u" To use another vault pass --vault PATH or set COFFER_VAULT; to create this one: "
                              u"coffer-cli init --vault %1"_s.arg(path);
        }
        return std::unexpected(failed);
    }
    const auto secret = password(u"Password for %1: "_s.arg(QFileInfo(path).fileName()));
    if (!secret) {
        return std::unexpected(secret.error());
    }
    return lift(model::Vault::unlock(path, secret->bytes()));
}

} // namespace coffer::cli
