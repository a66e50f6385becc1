// SPDX-License-Identifier: Apache-2.0
#include "crypto/ProcessHardening.h"

#include <QTest>

#include <sys/prctl.h>
#include <sys/resource.h>

using coffer::crypto::hardenProcess;

class TestProcessHardening : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void disablesCoreDumpsAndDumpability() {
        // Start from an unhardened process so the checks below can only pass because of hardenProcess():
        // allow core dumps where the environment lets us (a CI shell often starts with a soft limit of 0).
        rlimit before{};
        QCOMPARE(getrlimit(RLIMIT_CORE, &before), 0);
        before.rlim_cur = before.rlim_max;
        if (before.rlim_max == 0) {
            before = {RLIM_INFINITY, RLIM_INFINITY}; // only succeeds with CAP_SYS_RESOURCE
        }
        if (setrlimit(RLIMIT_CORE, &before) != 0) {
            qInfo("could not raise RLIMIT_CORE first; the core-limit check may pass trivially");
        }
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);

        QVERIFY(hardenProcess().has_value());

        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_CORE, &limit), 0);
        QCOMPARE(limit.rlim_cur, rlim_t{0});
        QCOMPARE(limit.rlim_max, rlim_t{0});
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    }

    void isIdempotent() {
        QVERIFY(hardenProcess().has_value());
        QVERIFY(hardenProcess().has_value());
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    }
};

QTEST_GUILESS_MAIN(TestProcessHardening)
#include "TestProcessHardening.moc"
