#!/usr/bin/env bash
# Starts the packaged service on the machine's PostgreSQL (a fresh database) and Redis (database
# 2), runs the browser test against it in headless Chromium, and stops it again. Screenshots
# land in target/e2e/. Needs: target/auto-assign-*.jar (mvn package), node, chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${E2E_PORT:-18080}
DB="aa_e2e_$(date +%s)"
export E2E_BASE="http://127.0.0.1:${PORT}"
export E2E_API_KEY="e2e-platform-key"
export E2E_ADMIN_PASSWORD="e2e-admin-password"
mkdir -p target/e2e

psql -h 127.0.0.1 -U postgres -d postgres -qc "create database ${DB}"
AUTO_ASSIGN_DB_URL="jdbc:postgresql://127.0.0.1:5432/${DB}" AUTO_ASSIGN_DB_USER=postgres \
AUTO_ASSIGN_REDIS_URL="redis://127.0.0.1:6379/2" AUTO_ASSIGN_EVENTS_CHANNEL="aa:e2e-events" \
AUTO_ASSIGN_API_KEY="$E2E_API_KEY" AUTO_ASSIGN_ADMIN_PASSWORD="$E2E_ADMIN_PASSWORD" \
  java -jar target/auto-assign-*.jar --spring.profiles.active=postgres --server.port="$PORT" \
  > target/e2e/app.log 2>&1 &
APP=$!
cleanup() {
  kill "$APP" 2>/dev/null || true
  wait "$APP" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists ${DB}" || true
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fs "$E2E_BASE/actuator/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$APP" 2>/dev/null; then echo "the service did not start:"; tail -50 target/e2e/app.log; exit 1; fi
  sleep 1
done
curl -fs "$E2E_BASE/actuator/health" >/dev/null

node e2e/browser-test.mjs
