#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ServeOnce.sh SERVER CONFIG DATABASE_URL: starts `SERVER serve --config CONFIG` on a free loopback port,
# reads its `listening on` line, asks GET /healthz (bash's /dev/tcp: no HTTP client needed), stops it with
# SIGTERM and expects exit status 0. Prints the health answer; fails with a message otherwise.
set -euo pipefail
server=$1 config=$2 database=$3

coproc SERVER { exec "$server" serve --config "$config" --database "$database" --listen 127.0.0.1:0 2>/dev/null; }
pid=$SERVER_PID
trap 'kill -KILL $pid 2>/dev/null || true' EXIT
if ! read -r -t 20 line <&"${SERVER[0]}"; then
    echo "no 'listening on' line within 20 s" >&2
    exit 1
fi
if [[ ! $line =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]]; then
    echo "first line: '$line', not 'listening on 127.0.0.1:PORT'" >&2
    exit 1
fi
port=${BASH_REMATCH[1]}

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
response=$(timeout 10 cat <&3 | tr -d '\r')
exec 3<&-
printf '%s\n' "$response"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
trap - EXIT
if [[ $status -ne 0 ]]; then
    echo "SIGTERM: exit status $status, not 0" >&2
    exit 1
fi
