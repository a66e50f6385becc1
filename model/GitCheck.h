// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/ModelError.h"

#include <QString>

namespace coffer::model {

/// Where a file stands with git, for warnings before secrets are written to it.
enum class GitState {
    NotInWorkTree, ///< no git installed, or the folder is not inside a work tree: nothing to check
    Tracked,       ///< git tracks the file: writing secrets there would end up in a commit
    Ignored,       ///< inside a work tree and ignored: the safe place for a .env file
    NotIgnored,    ///< inside a work tree, not tracked and not ignored: one `git add .` away from a commit
};

struct GitStatus {
    GitState state = GitState::NotInWorkTree;
    QString workTree;   ///< the work tree's top folder (empty outside one)
    QString ignoreLine; ///< the .gitignore line that ignores exactly this file, e.g. "/config/.env"
};

/// Asks git (`git -C FOLDER rev-parse --show-toplevel`, `ls-files --error-unmatch`, `check-ignore -q`)
/// about `path`, whose folder must exist (the file need not). Runs git as a child process with a time
/// limit; when git cannot answer about ignore rules the file counts as NotIgnored, the cautious side.
[[nodiscard]] GitStatus gitStatus(const QString& path);

/// Appends `status.ignoreLine` to the .gitignore at the top of `status.workTree` (created when missing, starting
/// on a line of its own), so that git ignores exactly that file. Nothing to do for a file already ignored or
/// outside a work tree; InvalidName for a tracked file (ignoring it would not untrack it); PermissionDenied when
/// the .gitignore is a symbolic link or not a regular file; Io when it cannot be written.
[[nodiscard]] Result<void> addToGitignore(const GitStatus& status);

} // namespace coffer::model
