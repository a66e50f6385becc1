// SPDX-License-Identifier: Apache-2.0
// Crypto primitives at the sizes and costs Coffer uses.
#include "crypto/Aead.h"
#include "crypto/Hash.h"
#include "crypto/PasswordHash.h"
#include "crypto/Random.h"
#include "crypto/Sign.h"
#include "crypto/Sodium.h"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

using namespace coffer::crypto;

void argon2idDefaultCost(benchmark::State& state) {
    (void)initialize();
    const Argon2Salt salt = randomArray<16>();
    const std::string password = "correct horse battery staple";
    const Argon2Params params{3, 256 * 1024}; // the vault default: 3 passes, 256 MiB
    for (auto _ : state) {
        auto key = deriveKey<VaultKey>(asBytes(password), salt, params);
        benchmark::DoNotOptimize(key);
    }
}
BENCHMARK(argon2idDefaultCost)->Unit(benchmark::kMillisecond)->Iterations(5);

void aeadSeal1KiB(benchmark::State& state) {
    const auto key = AeadKey::keygen();
    const std::vector<std::byte> plaintext(1024, std::byte{0x42});
    for (auto _ : state) {
        auto sealed = aead::seal(key, plaintext);
        benchmark::DoNotOptimize(sealed);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 1024);
}
BENCHMARK(aeadSeal1KiB);

void aeadOpen1KiB(benchmark::State& state) {
    const auto key = AeadKey::keygen();
    const std::vector<std::byte> plaintext(1024, std::byte{0x42});
    const auto sealed = aead::seal(key, plaintext);
    for (auto _ : state) {
        auto opened = aead::open(key, sealed);
        benchmark::DoNotOptimize(opened);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 1024);
}
BENCHMARK(aeadOpen1KiB);

void ed25519Verify(benchmark::State& state) {
    const auto pair = SigningKeyPair::keygen();
    const std::vector<std::byte> message(64, std::byte{0x17});
    const auto signature = sign(pair.secretKey, message);
    for (auto _ : state) {
        auto ok = verify(pair.publicKey, message, signature);
        benchmark::DoNotOptimize(ok);
    }
}
BENCHMARK(ed25519Verify);

} // namespace
