// SPDX-License-Identifier: Apache-2.0
#include "model/GitCheck.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

using namespace Qt::StringLiterals;

namespace coffer::model {

namespace {

struct GitRun {
    bool started = false;
    int exitCode = -1;
    QByteArray out;
};

GitRun git(const QString& folder, const QStringList& arguments) {
    constexpr int kTimeoutMs = 10'000;
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Never a prompt or a pager: this runs inside other commands, possibly without a terminal.
    environment.insert(u"GIT_TERMINAL_PROMPT"_s, u"0"_s);
    environment.insert(u"GIT_PAGER"_s, u"cat"_s);
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(u"git"_s, QStringList{u"-C"_s, folder} + arguments);
    GitRun run;
    if (!process.waitForStarted(kTimeoutMs)) {
        return run;
    }
    run.started = true;
    if (!process.waitForFinished(kTimeoutMs)) {
        process.kill();
        process.waitForFinished(kTimeoutMs);
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    return run;
}

/// A path as a .gitignore pattern that matches only itself: glob characters and trailing blanks escaped.
QString escapedPattern(const QString& path) {
    QString pattern;
    for (const QChar c : path) {
        if (c == u'\\' || c == u'*' || c == u'?' || c == u'[') {
            pattern += u'\\';
        }
        pattern += c;
    }
    qsizetype end = pattern.size();
    while (end > 0 && pattern.at(end - 1) == u' ') {
        --end;
    }
    QString trailing;
    for (qsizetype i = end; i < pattern.size(); ++i) {
        trailing += u"\\ "_s;
    }
    return pattern.left(end) + trailing;
}

} // namespace

GitStatus gitStatus(const QString& path) {
    const QFileInfo info(path);
    // Canonical so that the path relative to the work tree (which git reports resolved) is right.
    const QString folder = QFileInfo(info.path()).canonicalFilePath();
    const QString name = info.fileName();
    GitStatus status;
    if (folder.isEmpty() || name.isEmpty()) {
        return status;
    }
    const GitRun top = git(folder, {u"rev-parse"_s, u"--show-toplevel"_s});
    if (!top.started || top.exitCode != 0) {
        return status; // no git, or not in a work tree
    }
    status.workTree = QString::fromLocal8Bit(top.out).trimmed();
    const QString relative = QDir(status.workTree).relativeFilePath(folder + u'/' + name);
    status.ignoreLine = u"/"_s + relative;
    if (git(folder, {u"ls-files"_s, u"--error-unmatch"_s, u"--"_s, name}).exitCode == 0) {
        status.state = GitState::Tracked;
        return status;
    }
    // check-ignore: 0 ignored, 1 not ignored, anything else an error (counted as not ignored).
    status.state = git(folder, {u"check-ignore"_s, u"-q"_s, u"--"_s, name}).exitCode == 0 ? GitState::Ignored
                                                                                          : GitState::NotIgnored;
    return status;
}

Result<void> addToGitignore(const GitStatus& status) {
    switch (status.state) {
    case GitState::NotInWorkTree:
    case GitState::Ignored:
        return {};
    case GitState::Tracked:
        return fail(ErrorCode::InvalidName,
                    u"git tracks the file: ignoring it would not untrack it (git rm --cached -- %1)"_s.arg(
                        status.ignoreLine.mid(1)));
    case GitState::NotIgnored:
        break;
    }
    const QString path = status.workTree + u"/.gitignore"_s;
    const QFileInfo info(path);
    if (info.isSymLink() || (info.exists() && !info.isFile())) {
        return fail(ErrorCode::PermissionDenied, u"%1 is not a regular file"_s.arg(path));
    }
    QFile file(path);
    // Only the last byte matters: whether the new line needs a line break before it.
    bool needsBreak = false;
    if (file.open(QIODevice::ReadOnly)) {
        if (file.size() > 0 && file.seek(file.size() - 1)) {
            needsBreak = file.read(1) != "\n";
        }
        file.close();
    }
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        return fail(ErrorCode::Io, u"cannot write %1: %2"_s.arg(path, file.errorString()));
    }
    const QByteArray line =
        (needsBreak ? QByteArray("\n") : QByteArray()) + escapedPattern(status.ignoreLine).toUtf8() + '\n';
    if (file.write(line) != line.size() || !file.flush()) {
        return fail(ErrorCode::Io, u"cannot write %1: %2"_s.arg(path, file.errorString()));
    }
    return {};
}

} // namespace coffer::model
