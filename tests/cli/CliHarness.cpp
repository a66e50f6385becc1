// SPDX-License-Identifier: Apache-2.0
#include "CliHarness.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::tests {

QByteArray CliResult::describe() const {
    return "exit code " + QByteArray::number(exitCode) + ", stderr: " + err;
}

CliHarness::CliHarness()
    : m_vault(m_dir.filePath(u"test.coffer"_s)) {
    m_passwordFile = writeFile(u"password.txt"_s, kPassword + '\n');
}

QString CliHarness::writeFile(const QString& name, const QByteArray& content,
                              QFileDevice::Permissions permissions) const {
    const QString filePath = path(name);
    QFile file(filePath);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.write(content);
        file.close();
    }
    file.setPermissions(permissions);
    return filePath;
}

CliResult CliHarness::runRaw(const QStringList& args, const QByteArray& input, const QStringList& extra) const {
    return runProgram(QStringLiteral(COFFER_CLI_PATH), args, input, extra);
}

CliResult CliHarness::runProgram(const QString& program, const QStringList& args, const QByteArray& input,
                                 const QStringList& extra, const QString& workingDirectory) const {
    QProcess process;
    if (!workingDirectory.isEmpty()) {
        process.setWorkingDirectory(workingDirectory);
    }
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"COFFER_VAULT"_s);
    environment.insert(u"HOME"_s, m_dir.path());
    environment.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
    for (const auto& variable : extra) {
        environment.insert(variable.section(u'=', 0, 0), variable.section(u'=', 1));
    }
    process.setProcessEnvironment(environment);
    // No controlling terminal: opening /dev/tty fails in the child, as under cron or CI.
    process.setChildProcessModifier([] { ::setsid(); });
    process.start(program, args);
    CliResult result;
    if (!process.waitForStarted(kTimeoutMs)) {
        result.err = "cannot start " + QFile::encodeName(program);
        return result;
    }
    process.write(input);
    process.closeWriteChannel();
    result.finished = process.waitForFinished(kTimeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(kTimeoutMs);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

CliResult CliHarness::run(const QStringList& args, const QByteArray& input) const {
    return runRaw(args + QStringList{u"--vault"_s, m_vault, u"--password-file"_s, m_passwordFile}, input);
}

bool CliHarness::initVault() const {
    return run({u"init"_s, u"--kdf-passes"_s, u"2"_s, u"--kdf-memory"_s, u"64"_s}).exitCode == 0;
}

bool CliHarness::initWith(const QString& project, const QStringList& environments) const {
    if (!initVault() || run({u"project"_s, u"add"_s, project}).exitCode != 0) {
        return false;
    }
    for (const auto& environment : environments) {
        if (run({u"env"_s, u"add"_s, project + u'/' + environment}).exitCode != 0) {
            return false;
        }
    }
    return true;
}

} // namespace coffer::tests
