// SPDX-License-Identifier: Apache-2.0
#include "cli/Cli.h"

#include "cli/Arguments.h"
#include "cli/ExitCode.h"
#include "cli/Help.h"
#include "cli/Output.h"
#include "cli/Session.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace coffer::cli {

int run(const QStringList& args) {
    auto invocation = parseArguments(args);
    if (!invocation) {
        printError(invocation.error().message);
        return static_cast<int>(invocation.error().code);
    }
    if (invocation->help) {
        printOut(helpFor(*invocation));
        return static_cast<int>(ExitCode::Ok);
    }
    if (invocation->version) {
        printLine(versionText());
        return static_cast<int>(ExitCode::Ok);
    }
    Q_ASSERT(invocation->command != nullptr && invocation->command->handler != nullptr);
    const Handler handler = invocation->command->handler;
    Session session(std::move(*invocation));
    if (auto done = handler(session); !done) {
        printError(done.error().message);
        return static_cast<int>(done.error().code);
    }
    return static_cast<int>(ExitCode::Ok);
}

int run(int argc, char** argv) {
    QStringList args;
    args.reserve(argc > 0 ? argc - 1 : 0);
    for (int i = 1; i < argc; ++i) {
        args << QFile::decodeName(argv[i]);
    }
    return run(args);
}

} // namespace coffer::cli
