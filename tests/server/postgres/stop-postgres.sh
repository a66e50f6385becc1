#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Stops the PostgreSQL test server and removes its data: stop-postgres.sh DATA_DIR SOCKET_DIR
# Safe to run when nothing is running (a cleanup after a failed start, or before a fresh start).
set -uo pipefail

data_dir=$1
socket_dir=$2

bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

stop_cluster() {
    local dir=$1
    [[ -f "$dir/postmaster.pid" && -n "$bin_dir" ]] || return 0
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$(stat -c %U "$dir")" -- "$bin_dir/pg_ctl" -D "$dir" -m immediate -w -t 30 stop >/dev/null 2>&1
    else
        "$bin_dir/pg_ctl" -D "$dir" -m immediate -w -t 30 stop >/dev/null 2>&1
    fi
    # A server that pg_ctl could not stop (its binaries changed, a damaged pid file): stop it by its pid.
    local pid
    pid=$(head -n 1 "$dir/postmaster.pid" 2>/dev/null || true)
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
}

# The cluster is in DATA_DIR, or in SOCKET_DIR/data when the postgres user could not reach DATA_DIR.
stop_cluster "$data_dir"
stop_cluster "$socket_dir/data"

rm -rf "$data_dir" "$socket_dir"
exit 0
