#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts a fresh coffer-server (on SQLite, and on a throwaway PostgreSQL) and runs the load generator
# against it: the figures of docs/benchmarks.md, section "Server".
#   bench/server/run.sh [sqlite|postgres|both] [coffer_bench_server options, e.g. --seconds 10]
# COFFER_BENCH_BUILD=DIR uses an existing build (default: configure and build the release preset).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
backends=both
if [[ $# -gt 0 && $1 != --* ]]; then
    backends=$1
    shift
fi
case $backends in sqlite | postgres | both) ;; *) echo "usage: $0 [sqlite|postgres|both] [bench options]" >&2; exit 2 ;; esac

build=${COFFER_BENCH_BUILD:-}
if [[ -z $build ]]; then
    export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
    cmake --preset release >/dev/null
    cmake --build --preset release --target coffer-server coffer_bench_server
    build=build/release
fi
server=$root/$build/app/coffer-server/coffer-server
bench=$root/$build/bench/server/coffer_bench_server
[[ $build = /* ]] && server=$build/app/coffer-server/coffer-server && bench=$build/bench/server/coffer_bench_server

work=$(mktemp -d "${TMPDIR:-/tmp}/coffer-bench-server.XXXXXX")
server_pid=
pg_stop=
cleanup() {
    if [[ -n $server_pid ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [[ -n $pg_stop ]]; then eval "$pg_stop" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The benchmark measures the server, not its rate limiter: one member per connection, limits raised.
cat >"$work/bench.conf" <<CONF
rate_limit_per_second = 1000000
rate_limit_burst = 1000000
log_requests = true
CONF

# run_one URL [bench options]: a new server on URL, a team code, the load generator.
run_one() {
    local url=$1
    shift
    "$server" migrate --database "$url" >/dev/null
    # The code is made before the server holds the database (an SQLite file has one user at a time) and
    # handed over in an owner-only file, never on a command line.
    (umask 077 && "$server" team-code --database "$url" >"$work/team-code")
    # Request logs (one JSON line per request) go to /dev/null: formatting them stays in the figures.
    "$server" serve --config "$work/bench.conf" --listen 127.0.0.1:0 --database "$url" >"$work/out" 2>/dev/null &
    server_pid=$!
    local line= tries=0
    until [[ $line == *$'\n'* ]] || ((tries++ > 300)); do
        sleep 0.1
        line=$(cat "$work/out"; echo x)
    done
    line=${line%%$'\n'*}
    [[ $line == "listening on "* ]] || { echo "coffer-server did not start (said: '$line')" >&2; exit 1; }
    local address=${line#listening on }
    echo "== coffer-server ${url%%:*} at $address ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
    "$bench" --server "$address" --team-code-file "$work/team-code" --server-pid "$server_pid" "$@"
    rm -f "$work/team-code"
    kill -TERM "$server_pid"
    wait "$server_pid"
    server_pid=
}

if [[ $backends != postgres ]]; then
    run_one "sqlite:$work/bench.db" "$@"
fi
if [[ $backends != sqlite ]]; then
    # A throwaway PostgreSQL, started by the test fixture's scripts (Unix socket only). The fixture turns
    # durability off for tests; a benchmark puts it back (fsync, synchronous_commit, full_page_writes).
    pg_root=$(mktemp -d /tmp/coffer-bench-pg.XXXXXX)
    chmod 755 "$pg_root"
    pg_stop="'$root/tests/server/postgres/stop-postgres.sh' '$pg_root/data' '$pg_root/s'; rm -rf '$pg_root'"
    "$root/tests/server/postgres/start-postgres.sh" "$pg_root/data" "$pg_root/s"
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    psql_as_postgres=("$pg_bin/psql" -h "$pg_root/s" -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1 -q)
    [[ $(id -u) -eq 0 ]] && psql_as_postgres=(runuser -u postgres -- "${psql_as_postgres[@]}")
    # COFFER_BENCH_PG_DURABLE=0 keeps the fixture's settings (to see what the commits' fsyncs cost).
    if [[ ${COFFER_BENCH_PG_DURABLE:-1} != 0 ]]; then
        "${psql_as_postgres[@]}" -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
            -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null
    fi
    echo "PostgreSQL settings: $("${psql_as_postgres[@]}" -At -c "SELECT string_agg(name || '=' || setting, ', ') FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")"
    run_one "postgresql:///coffer_test?host=$pg_root/s&port=5432&user=coffer" "$@"
fi
