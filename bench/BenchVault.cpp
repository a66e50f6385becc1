// SPDX-License-Identifier: Apache-2.0
// The vault at scale: bulk inserts, unlock-to-first-query without the KDF, listing an environment.
// Targets (docs/benchmarks.md): 100k inserts < 2 s; unlock-to-first-query of a 100k vault < 300 ms beyond
// the KDF; listing 10k secrets < 50 ms.
#include "crypto/Hash.h"
#include "model/Store.h"
#include "model/Vault.h"

#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <optional>

namespace {

using namespace coffer;

const std::string kPassword = "bench-password";

// A vault in a temporary folder with `count` secrets in one environment; its key is kept so that the
// benchmarks measure opening without the Argon2id cost.
struct Fixture {
    QTemporaryDir dir;
    QString path;
    std::optional<crypto::VaultKey> key;
    std::int64_t environmentId = 0;

    explicit Fixture(int count) {
        path = dir.filePath(QStringLiteral("bench.coffer"));
        auto vault = model::Vault::create(path, crypto::asBytes(kPassword), model::KdfCost::minimum());
        if (!vault) {
            std::fprintf(stderr, "create failed: %s\n", qPrintable(vault.error().message()));
            std::abort();
        }
        key.emplace(crypto::VaultKey::fromBytes(vault->key().bytes()));
        model::Store store(*vault, QStringLiteral("bench"));
        environmentId = fill(store, count);
    }

    static std::int64_t fill(model::Store& store, int count) {
        auto project = store.addProject(QStringLiteral("bench"));
        auto env = store.addEnvironment(project->id, QStringLiteral("dev"));
        const std::string value = "postgres://user:pa55word@db.internal:5432/app?sslmode=require";
        auto ok = store.transaction([&]() -> model::Result<void> {
            for (int i = 0; i < count; ++i) {
                auto set = store.setSecret(env->id, QStringLiteral("SECRET_%1").arg(i), crypto::asBytes(value));
                if (!set) {
                    return std::unexpected(set.error());
                }
            }
            return {};
        });
        if (!ok) {
            std::fprintf(stderr, "fill failed: %s\n", qPrintable(ok.error().message()));
            std::abort();
        }
        return env->id;
    }
};

void insertSecretsInOneTransaction(benchmark::State& state) {
    const int count = static_cast<int>(state.range(0));
    for (auto _ : state) {
        state.PauseTiming();
        QTemporaryDir dir;
        auto vault = model::Vault::create(dir.filePath(QStringLiteral("v.coffer")), crypto::asBytes(kPassword),
                                          model::KdfCost::minimum());
        model::Store store(*vault, QStringLiteral("bench"));
        state.ResumeTiming();
        Fixture::fill(store, count);
        state.PauseTiming();
        vault->lock();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * count);
}
BENCHMARK(insertSecretsInOneTransaction)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(3);

void unlockToFirstQueryWithoutKdf(benchmark::State& state) {
    Fixture fixture(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto vault = model::Vault::open(fixture.path, *fixture.key);
        model::Store store(*vault, QStringLiteral("bench"));
        auto projects = store.projects();
        benchmark::DoNotOptimize(projects);
        state.PauseTiming();
        vault->lock();
        state.ResumeTiming();
    }
}
BENCHMARK(unlockToFirstQueryWithoutKdf)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(10);

void listEnvironment(benchmark::State& state) {
    Fixture fixture(static_cast<int>(state.range(0)));
    auto vault = model::Vault::open(fixture.path, *fixture.key);
    model::Store store(*vault, QStringLiteral("bench"));
    for (auto _ : state) {
        auto secrets = store.secrets(fixture.environmentId);
        if (!secrets || secrets->size() != static_cast<std::size_t>(state.range(0))) {
            state.SkipWithError("listing returned the wrong count");
        }
        benchmark::DoNotOptimize(secrets);
    }
}
BENCHMARK(listEnvironment)->Arg(10'000)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
