// SPDX-License-Identifier: Apache-2.0
// Not a test on its own: the asan build runs it as OpenSslExitRace (tests/model/CMakeLists.txt), where
// LeakSanitizer fails it if a thread's OpenSSL state is lost at exit.
//
// A worker thread creates a vault, so SQLCipher gives that thread OpenSSL state of its own (random generators,
// error queue), which OpenSSL frees when the thread ends. Qt's threads are waited for only until their run()
// returns, so a pool thread can still be ending while main() has returned and exit handlers run. If OpenSSL's
// own exit handler (OPENSSL_cleanup) runs first, it deletes the key that would have freed the thread's state,
// and the state leaks. This probe makes that order certain instead of rare: its own exit handler, registered
// before OpenSSL's and therefore run after it, lets the worker end only then.
#include "model/Vault.h"

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace {

std::mutex g_lock;
std::condition_variable g_changed;
bool g_created = false;
bool g_mayEnd = false;
bool g_failed = false;
std::thread* g_worker = nullptr;

void endWorker() {
    {
        const std::lock_guard guard(g_lock);
        g_mayEnd = true;
    }
    g_changed.notify_all();
    g_worker->join();
}

} // namespace

int main() {
    const QTemporaryDir dir; // removed when main() returns; the worker has closed the vault by then
    if (!dir.isValid()) {
        std::fputs("cannot create a temporary folder\n", stderr);
        return 1;
    }
    const QString path = dir.filePath(QStringLiteral("probe.coffer"));
    std::atexit(endWorker); // before any OpenSSL call, so it runs after OpenSSL's exit handler
    g_worker = new std::thread([path] {
        bool failed = false;
        {
            const QByteArray password("probe");
            const auto vault = coffer::model::Vault::create(
                path, std::as_bytes(std::span(password.data(), static_cast<std::size_t>(password.size()))),
                coffer::model::KdfCost::minimum());
            if (!vault) {
                std::fprintf(stderr, "cannot create the vault: %s\n", qPrintable(vault.error().message()));
                failed = true;
            }
        }
        std::unique_lock guard(g_lock);
        g_failed = failed;
        g_created = true;
        g_changed.notify_all();
        g_changed.wait(guard, [] { return g_mayEnd; });
    });
    std::unique_lock guard(g_lock);
    g_changed.wait(guard, [] { return g_created; });
    return g_failed ? 1 : 0;
}
