// SPDX-License-Identifier: Apache-2.0
// The desktop app's composition root: harden the process, read the command line, show the window.
#include "crypto/ProcessHardening.h"
#include "crypto/Sodium.h"
#include "model/Vault.h"
#include "ui/Icons.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

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

    coffer::ui::MainWindow window(path);
    window.show();
    return QApplication::exec();
}
