#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Starts the PostgreSQL test server: start-postgres.sh DATA_DIR SOCKET_DIR
# A fresh cluster in DATA_DIR (under the build folder), reachable only through a Unix socket in SOCKET_DIR
# (listen_addresses = ''), with a role "coffer" (CREATEDB) and a database "coffer_test". Run as root, the
# server runs as the unprivileged "postgres" user (PostgreSQL refuses root); otherwise as the current user.
# A cluster left over by a killed run is stopped and removed first.
set -euo pipefail

data_dir=$1
socket_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
port=5432

bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bin_dir" || ! -x "$bin_dir/initdb" ]]; then
    echo "start-postgres: no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
    owner=postgres
    as_owner() { runuser -u postgres -- "$@"; }
else
    owner=$(id -un)
    as_owner() { "$@"; }
fi

"$here/stop-postgres.sh" "$data_dir" "$socket_dir"

mkdir -p "$data_dir" "$socket_dir"
chmod 700 "$data_dir" "$socket_dir"
chown "$owner" "$data_dir" "$socket_dir"
if ! as_owner test -w "$data_dir"; then
    # A build folder under a private home (/root/...) is out of the postgres user's reach: keep the cluster
    # in the socket folder instead (stop-postgres.sh looks there too).
    echo "start-postgres: $owner cannot reach $data_dir; the cluster goes to $socket_dir/data" >&2
    rm -rf "$data_dir"
    data_dir="$socket_dir/data"
    mkdir -p "$data_dir"
    chmod 700 "$data_dir"
    chown "$owner" "$data_dir"
fi

log="$data_dir/setup.log"
if ! as_owner "$bin_dir/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --no-locale \
    >"$socket_dir/initdb.log" 2>&1; then
    cat "$socket_dir/initdb.log" >&2
    exit 1
fi
mv "$socket_dir/initdb.log" "$log" 2>/dev/null || true

# Unix socket only, in a private folder; durability off: a test cluster is thrown away.
cat >>"$data_dir/postgresql.conf" <<CONF
listen_addresses = ''
port = $port
unix_socket_directories = '$socket_dir'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 32MB
log_min_messages = warning
CONF

if ! as_owner "$bin_dir/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 start >/dev/null; then
    cat "$data_dir/server.log" >&2 || true
    exit 1
fi

as_owner "$bin_dir/psql" -h "$socket_dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE coffer LOGIN CREATEDB" -c "CREATE DATABASE coffer_test OWNER coffer"

echo "PostgreSQL $("$bin_dir/postgres" --version | awk '{print $3}') on $socket_dir (data $data_dir)"
