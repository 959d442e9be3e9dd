#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the case-store tests.
#
#   eval "$(bash scripts/ci/postgres.sh)"        # installs if needed, starts (or reuses), exports TEST_DATABASE_URL
#   bash scripts/ci/postgres.sh stop             # stops it and deletes its data
#
# Installs Debian's postgresql package when no server binaries are found. Idempotent: a second run reuses the
# running cluster and returns at once. Only the `export` line goes to stdout; progress goes to stderr.
set -euo pipefail

PG_HOME="${FLEXCORD_PG_DIR:-${TMPDIR:-/tmp}/flexcord-pg}"
DB_NAME="${FLEXCORD_PG_DB:-flexcord_test}"
log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; fi
}

# The server refuses to run as root: on a root machine (CI) the cluster belongs to the `postgres` user.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ "${1:-start}" == stop ]]; then
  BIN="$(find_bin)"
  if [[ -n "$BIN" && -f "$PG_HOME/data/PG_VERSION" ]]; then
    as_owner "$BIN/pg_ctl" -D "$PG_HOME/data" -m fast stop >&2 || true
  fi
  rm -rf "$PG_HOME"
  log "stopped and removed $PG_HOME"
  exit 0
fi

BIN="$(find_bin)"
if [[ -z "$BIN" ]]; then
  log "PostgreSQL not found; installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  BIN="$(find_bin)"
  [[ -n "$BIN" ]] || { log "installed postgresql but found no pg_ctl"; exit 1; }
fi

if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir "$PG_HOME" --shell /usr/sbin/nologin postgres
fi

running() { [[ -f "$PG_HOME/data/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$PG_HOME/data" status >/dev/null 2>&1; }

if ! running; then
  rm -rf "$PG_HOME"
  mkdir -p "$PG_HOME"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$PG_HOME"
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  log "creating a cluster in $PG_HOME on 127.0.0.1:$port"
  # Trust auth on loopback only: a disposable test cluster that nobody else can reach.
  as_owner "$BIN/initdb" -D "$PG_HOME/data" -U postgres --auth=trust --encoding=UTF8 --no-sync >/dev/null
  as_owner "$BIN/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_HOME -c fsync=off -c full_page_writes=off" start >&2
  echo "$port" >"$PG_HOME/port"
fi

port="$(cat "$PG_HOME/port")"
if ! "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -Atqc "select 1 from pg_database where datname = '$DB_NAME'" postgres | grep -q 1; then
  "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create database $DB_NAME" postgres >&2
fi
url="postgres://postgres@127.0.0.1:$port/$DB_NAME"
log "ready: $url"
echo "export TEST_DATABASE_URL=$url"
