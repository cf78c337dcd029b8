#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster when nothing listens on 127.0.0.1:5432.
# (When none is installed or it cannot start, the sync tests start a throwaway cluster.)
set -uo pipefail
if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -d /etc/postgresql ]]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 20); do
    pg_isready -h 127.0.0.1 -p 5432 -q && exit 0
    sleep 0.5
  done
fi
echo "ensure-postgres: no server on 127.0.0.1:5432; tests will start a throwaway cluster" >&2
exit 0
