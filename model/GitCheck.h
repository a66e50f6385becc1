// SPDX-License-Identifier: Apache-2.0
#pragma once

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

} // namespace coffer::model
