#!/usr/bin/env bash
# `docker` on a conformance droplet: plays the three `docker compose` calls of ship-gate's
# phase3_migration.sh with the bundled PGlite (PostgreSQL with pgvector), faithfully enough that the
# script's own behaviour shows:
#   docker compose -f FILE up -d                        start PGlite on 127.0.0.1:5433 (the compose file's port)
#   docker compose -f FILE exec -T SVC pg_isready ...   answers only for the service the file names,
#                                                       `postgres` (packaging/docker-compose.postgres.yml:17);
#                                                       the script asks for `pgvector`, so its readiness
#                                                       loop runs its 30 rounds, as it does on a droplet
#   docker compose -f FILE down -v                      stop it and drop its data
# `up -d` returns once the server accepts connections (PGlite takes 8-30 s to start under load; a
# container's `up -d` returns sooner, but ship-gate's seeding takes minutes before the first use).
# SHIPGATE_PGLITE_ARGS (e.g. --no-vector) reaches the server: a PostgreSQL without pgvector.
set -uo pipefail
state=/tmp/shipgate-docker-shim
service=postgres
port=5433

[ "${1:-}" = compose ] || { echo "docker (shipgate conformance shim): only 'docker compose' is played" >&2; exit 1; }
shift
while [ $# -gt 0 ]; do
  case "$1" in
    -f) shift 2 ;;
    *) break ;;
  esac
done
sub=${1:-}
shift || true

running() { [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null && grep -q '^ready ' "$state/log" 2>/dev/null; }

case "$sub" in
  up)
    running && exit 0
    rm -rf "$state" && mkdir -p "$state"
    # shellcheck disable=SC2086 # the extra arguments are words
    setsid nohup "$SHIPGATE_PGLITE" --host 127.0.0.1 --port "$port" --data-dir "$state/data" ${SHIPGATE_PGLITE_ARGS:-} > "$state/log" 2>&1 < /dev/null &
    echo $! > "$state/pid"
    for _ in $(seq 1 1800); do
      grep -q '^ready ' "$state/log" 2>/dev/null && { echo " ✔ Container ai_memory_sal_postgres  Started"; exit 0; }
      kill -0 "$(cat "$state/pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "Error response from daemon: the PGlite server did not start: $(tail -3 "$state/log")" >&2
    exit 1
    ;;
  exec)
    [ "${1:-}" = -T ] && shift
    svc=${1:-}
    shift || true
    [ "$svc" = "$service" ] || { echo "no such service: $svc" >&2; exit 1; }
    running || { echo "service \"$svc\" is not running" >&2; exit 1; }
    case "${1:-}" in
      pg_isready) echo "/var/run/postgresql:5432 - accepting connections" ;;
      *) echo "docker (shipgate conformance shim): only pg_isready runs in the container" >&2; exit 1 ;;
    esac
    ;;
  down)
    if [ -f "$state/pid" ]; then
      pid=$(cat "$state/pid")
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$state"
    echo " ✔ Container ai_memory_sal_postgres  Removed"
    ;;
  *) echo "docker (shipgate conformance shim): unsupported compose command '$sub'" >&2; exit 1 ;;
esac
