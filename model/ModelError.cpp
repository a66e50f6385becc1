// SPDX-License-Identifier: Apache-2.0
#include "model/ModelError.h"

namespace coffer::model {
namespace {

// Each message is "what happened" then "what to do". The detail (a path, a name, a page number; never a
// secret) goes right after "what happened", where it reads as part of the sentence.
struct Sentence {
    QString what;
    QString todo;
    bool showDetail = true;
};

Sentence sentenceFor(ErrorCode code) {
    switch (code) {
    case ErrorCode::FileMissing:
        return {QStringLiteral("No vault file was found"), QStringLiteral("Check the path, or create a new vault.")};
    case ErrorCode::PermissionDenied:
        return {QStringLiteral("The system refused access to the vault file or its folder"),
                QStringLiteral("Check that your user owns them and may read and write them.")};
    case ErrorCode::NotAVault:
        return {QStringLiteral("This file is not a Coffer vault"),
                QStringLiteral("Choose a vault file created by Coffer.")};
    case ErrorCode::WrongPassword:
        // SQLCipher cannot tell a wrong key from a damaged first page; the sentence says both, and the
        // database's own text ("file is encrypted or is not a database") would only confuse.
        return {QStringLiteral("Wrong password"),
                QStringLiteral("If you are sure it is right, the vault's first page may be damaged: restore a "
                               "backup."),
                false};
    case ErrorCode::Damaged:
        return {QStringLiteral("The vault file is damaged and cannot be opened safely"),
                QStringLiteral("Restore it from a backup copy.")};
    case ErrorCode::NewerFormat:
        return {QStringLiteral("This vault was written by a newer version of Coffer"),
                QStringLiteral("Update Coffer to open it.")};
    case ErrorCode::AlreadyExists:
        return {QStringLiteral("Something with that name already exists"),
                QStringLiteral("Choose another name, or open the existing one.")};
    case ErrorCode::KdfOutOfPolicy:
        return {QStringLiteral("The key-derivation cost is outside what Coffer allows"),
                QStringLiteral("Choose 2 to 16 passes and a power of two from 64 to 2048 MiB of memory.")};
    case ErrorCode::InvalidName:
        return {QStringLiteral("This name cannot be used"), QStringLiteral("Choose a name that follows the rules.")};
    case ErrorCode::NotFound:
        return {QStringLiteral("Nothing by that name was found"),
                QStringLiteral("Check the spelling, or list what the vault holds.")};
    case ErrorCode::NotEmpty:
        return {QStringLiteral("It still holds something"), QStringLiteral("Move or remove its contents first.")};
    case ErrorCode::TooLarge:
        return {QStringLiteral("The value is larger than the 1 MiB limit"),
                QStringLiteral("Store a smaller value, such as a path to a file.")};
    case ErrorCode::Locked:
        return {QStringLiteral("The vault is locked"), QStringLiteral("Unlock it with your password and try again.")};
    case ErrorCode::Io:
        return {QStringLiteral("Reading or writing the vault failed"),
                QStringLiteral("Check free disk space and the storage device, then try again.")};
    case ErrorCode::ReferenceCycle:
        return {QStringLiteral("These secrets refer to each other in a circle"),
                QStringLiteral("Change one of them so that the references end in a plain value.")};
    case ErrorCode::ReadOnly:
        return {QStringLiteral("This team environment is read-only on this device"),
                QStringLiteral("Ask a team admin for write access.")};
    }
    return {QStringLiteral("Something went wrong"), QStringLiteral("Try again.")};
}

} // namespace

QString Error::message() const {
    const Sentence sentence = sentenceFor(code);
    if (sentence.showDetail && !detail.isEmpty()) {
        return QStringLiteral("%1 (%2). %3").arg(sentence.what, detail, sentence.todo);
    }
    return QStringLiteral("%1. %2").arg(sentence.what, sentence.todo);
}

} // namespace coffer::model
