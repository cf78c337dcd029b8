#!/usr/bin/env bash
# A throwaway PgBouncer in transaction mode in front of the centre's PostgreSQL.
#
#   scripts/pgbouncer-up.sh DIR [PORT]   start one (config, logins list, log and pid in DIR);
#                                        prints the port it listens on (127.0.0.1)
#   scripts/pgbouncer-up.sh --reload DIR re-read the PostgreSQL logins (after create-role)
#   scripts/pgbouncer-up.sh --down DIR   stop it
#
# PG_HOST/PG_PORT (default 127.0.0.1:5432) name the PostgreSQL server, PG_ADMIN its
# administrator (default postgres).  Every database is passed through (wildcard); each login
# keeps its own pool, so the centre still sees the person's login (session_user, row-level
# security).  Authentication is left to the server's rules for this loopback test set-up
# (auth_type trust against the list of login roles); a production PgBouncer uses
# auth_type scram-sha-256 with auth_query instead (docs/lead_desk.md).  PgBouncer refuses to
# run as root, so under root it runs as the postgres user.
set -euo pipefail

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_ADMIN=${PG_ADMIN:-postgres}
POOL_SIZE=${POOL_SIZE:-20}
MAX_DB_CONNECTIONS=${MAX_DB_CONNECTIONS:-40}

die() { echo "pgbouncer-up: $*" >&2; exit 2; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

write_users() {
  local dir=$1
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN" -d postgres -XAtq \
    -c "SELECT '\"' || rolname || '\" \"\"' FROM pg_roles WHERE rolcanlogin ORDER BY 1" \
    >"$dir/users.txt.new" || die "cannot list the logins of $PG_HOST:$PG_PORT as $PG_ADMIN"
  mv "$dir/users.txt.new" "$dir/users.txt"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "${1:-}" in
  --down)
    dir=${2:?usage: pgbouncer-up.sh --down DIR}
    if [[ -f "$dir/pgbouncer.pid" ]]; then
      pid=$(cat "$dir/pgbouncer.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    exit 0
    ;;
  --reload)
    dir=${2:?usage: pgbouncer-up.sh --reload DIR}
    write_users "$dir"
    kill -HUP "$(cat "$dir/pgbouncer.pid")"
    exit 0
    ;;
  ""|-h|--help)
    sed -n '2,16p' "$0"
    exit 0
    ;;
esac

command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]] \
  || die "PgBouncer is not installed; run scripts/install-system-deps.sh --with-postgres"
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
dir=$1
port=${2:-$(free_port)}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
write_users "$dir"
cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=$PG_HOST port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
max_db_connections = $MAX_DB_CONNECTIONS
max_client_conn = 900
server_reset_query =
server_idle_timeout = 30
ignore_startup_parameters = extra_float_digits
admin_users = $PG_ADMIN
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
log_connections = 0
log_disconnections = 0
EOF
if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$dir"; fi
as_owner "$PGBOUNCER" -d -q "$dir/pgbouncer.ini" || die "PgBouncer did not start; see $dir/pgbouncer.log"
for _ in $(seq 50); do
  if psql -h 127.0.0.1 -p "$port" -U "$PG_ADMIN" -d pgbouncer -XAtqc "SHOW VERSION" >/dev/null 2>&1; then
    echo "$port"
    exit 0
  fi
  sleep 0.1
done
die "PgBouncer did not answer on 127.0.0.1:$port; see $dir/pgbouncer.log"
