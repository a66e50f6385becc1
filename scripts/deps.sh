#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages Coffer needs, only those that are missing.
# Usage: scripts/deps.sh [build|test]
set -euo pipefail
build_pkgs=(cmake ninja-build g++ pkg-config ccache qt6-base-dev qt6-tools-dev qt6-svg-dev libsodium-dev
    libsqlcipher-dev libssl-dev qtkeychain-qt6-dev nlohmann-json3-dev libcurl4-openssl-dev libcpp-httplib-dev
    libsqlite3-dev libpq-dev libzxcvbn-dev libgtest-dev libbenchmark-dev qt6-qpa-plugins)
test_pkgs=(postgresql xvfb gnome-keyring dbus-daemon dbus-x11 libsecret-tools argon2 clang-format sqlcipher
    nodejs python3-dotenv dash desktop-file-utils appstream shared-mime-info lintian
    librsvg2-bin zsh fish bash-completion)
# TestDotenvCompat runs Node's dotenv through npm: Debian's nodejs lacks npm, NodeSource's ships it (and
# conflicts with Debian's npm package), so npm is asked for only when no npm command exists.
command -v npm >/dev/null 2>&1 || test_pkgs+=(npm)
# scripts/fuzz: libFuzzer. Clang 16, not Debian's default 14: libstdc++ 12's std::expected needs P0848.
fuzz_pkgs=(clang-16 libclang-rt-16-dev)
want=("${build_pkgs[@]}")
if [[ "${1:-build}" == test ]]; then want+=("${test_pkgs[@]}"); fi
if [[ "${1:-build}" == fuzz ]]; then want+=("${fuzz_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
