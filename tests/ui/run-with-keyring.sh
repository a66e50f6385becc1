#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs a test inside a private D-Bus session with an unlocked gnome-keyring (Secret Service), and no display, so
# that no keyring prompt can block. Fails when the keyring cannot start: the test must not pass without one.
# Usage: run-with-keyring.sh TEST [ARGS...]
set -eu
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    command -v "$tool" >/dev/null 2>&1 || { echo "run-with-keyring: $tool is missing (scripts/deps.sh test)" >&2; exit 1; }
done
unset DISPLAY WAYLAND_DISPLAY
# A keyring of its own in a throwaway home: never the user's keyring.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
dbus-run-session -- sh -c '
    printf %s test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null ||
        { echo "run-with-keyring: gnome-keyring-daemon did not start" >&2; exit 1; }
    exec "$@"' run-with-keyring "$@"
