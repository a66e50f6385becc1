// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <expected>

namespace coffer::model {

/// What went wrong in the model layer. Each vault failure a user can meet has its own code, so the
/// CLI and the app can say precisely what happened and what to do.
enum class ErrorCode {
    FileMissing,      ///< no file at the path
    PermissionDenied, ///< the OS refused to read or write the file or its folder
    NotAVault,        ///< the file is not a Coffer vault (no Coffer header)
    WrongPassword,    ///< the key does not open the file
    Damaged,          ///< header, marker or pages fail their checks (includes empty and truncated files)
    NewerFormat,      ///< made by a newer Coffer (format or schema version above what we know)
    AlreadyExists,    ///< create() on an existing file, or a name already taken
    KdfOutOfPolicy,   ///< a requested key-derivation cost below the floor or above the ceiling
    InvalidName,      ///< a name that breaks the naming rules
    NotFound,         ///< no such project, environment, secret or version
    NotEmpty,         ///< removing a project or environment that still holds something
    TooLarge,         ///< a value over the size limit
    Locked,           ///< the vault is not open
    Io,               ///< any other I/O or database failure
    ReferenceCycle,   ///< a secret's `${...}` references lead back to itself (the detail is the path)
    ReadOnly,         ///< a local change of a team environment this member may only read (the detail says which)
};

/// An error code with a detail (a path, a name; never a secret value).
struct Error {
    ErrorCode code;
    QString detail;

    /// A sentence for people: what happened and what they can do.
    [[nodiscard]] QString message() const;
};

template <typename T> using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, QString detail = {}) {
    return std::unexpected(Error{code, std::move(detail)});
}

} // namespace coffer::model
