// SPDX-License-Identifier: Apache-2.0
// The desktop app's composition root: harden the process, read the command line, show the window.
#include "agent/AgentServer.h"
#include "crypto/ProcessHardening.h"
#include "crypto/Sodium.h"
#include "model/Vault.h"
#include "ui/Icons.h"
#include "ui/MainWindow.h"
#include "ui/SingleInstance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

#include <cstdio>

int main(int argc, char* argv[]) {
    // Before anything can hold a secret: no core dumps, no ptrace by other processes.
    const auto hardened = coffer::crypto::hardenProcess();
    if (const auto ready = coffer::crypto::initialize(); !ready) {
        static_cast<void>(std::fputs("coffer: the cryptography library could not start\n", stderr));
        return 1;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Coffer"));
    QApplication::setApplicationDisplayName(QStringLiteral("Coffer"));
    QApplication::setApplicationVersion(QStringLiteral(COFFER_VERSION));
    QApplication::setOrganizationName(QStringLiteral("Coffer"));
    QApplication::setDesktopFileName(QStringLiteral("coffer"));
    QApplication::setWindowIcon(coffer::ui::icons::app());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "A desktop secret vault for teams."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PATH"),
                                 QApplication::translate("main", "The vault file (default: $COFFER_VAULT, else %1).")
                                     .arg(coffer::model::Vault::defaultPath()),
                                 QStringLiteral("[PATH]"));
    parser.process(app);

    if (!hardened) {
        static_cast<void>(std::fputs("coffer: warning: could not disable core dumps and debugger access\n", stderr));
    }

    QString path;
    if (const QStringList arguments = parser.positionalArguments(); !arguments.isEmpty()) {
        path = arguments.constFirst();
    } else if (path = qEnvironmentVariable("COFFER_VAULT"); path.isEmpty()) {
        path = coffer::model::Vault::defaultPath();
    }

    // One Coffer per vault: a second start on the same vault brings the first one to the front instead.
    coffer::ui::SingleInstance instance;
    switch (const auto outcome = instance.claim(path)) {
    case coffer::ui::SingleInstance::Outcome::Claimed:
        break;
    case coffer::ui::SingleInstance::Outcome::Activated:
        static_cast<void>(std::fprintf(stdout, "%s\n", qPrintable(instance.message(outcome))));
        return 0;
    case coffer::ui::SingleInstance::Outcome::Busy:
        static_cast<void>(std::fprintf(stderr, "coffer: %s\n", qPrintable(instance.message(outcome))));
        QMessageBox::warning(nullptr, QStringLiteral("Coffer"), instance.message(outcome));
        return 1;
    case coffer::ui::SingleInstance::Outcome::Failed:
        static_cast<void>(std::fprintf(stderr, "coffer: warning: %s\n", qPrintable(instance.message(outcome))));
        break;
    }

    coffer::ui::MainWindow window(path);
    window.setSingleInstance(&instance);
    // While unlocked, coffer-cli uses this window's vault instead of asking for the password (docs/agent.md).
    window.setAgentSocketPath(coffer::agent::AgentServer::defaultSocketPath());
    window.show();
    return QApplication::exec();
}
