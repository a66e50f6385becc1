// SPDX-License-Identifier: Apache-2.0
// Not a test: the victim of TestSafeFile's crash test. Writes PATH again and again through
// writeFileAtomically(), alternating two contents of SIZE bytes ('B'... and 'C'...), until it is killed.
#include "model/SafeFile.h"

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <cstdlib>
#include <span>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: SafeFileWriter PATH SIZE\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const auto size = static_cast<qsizetype>(std::strtoll(argv[2], nullptr, 10));
    const QByteArray contents[2] = {QByteArray(size, 'B'), QByteArray(size, 'C')};
    for (unsigned round = 0;; ++round) {
        const QByteArray& content = contents[round % 2];
        const auto bytes = std::as_bytes(std::span<const char>(content.constData(), static_cast<std::size_t>(size)));
        if (auto written = coffer::model::writeFileAtomically(path, bytes); !written) {
            // The test reports this: a write that fails on its own is a bug, not a kill.
            std::fprintf(stderr, "write %u failed: %s\n", round, qPrintable(written.error().message()));
            return 1;
        }
        if (round == 0) {
            // Tells the test that at least one write completed (it kills at random moments either way).
            std::fputs("written\n", stdout);
            std::fflush(stdout);
        }
    }
}
