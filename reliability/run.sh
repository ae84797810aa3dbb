#!/usr/bin/env bash
# The long reliability runs of issue 7 (see RELIABILITY.md). Builds the service jar and the
# test classes, then runs one scenario against the packaged service on the local PostgreSQL
# and Redis (fresh database per run; the Redis database of RELIABILITY_REDIS_DB, else the one
# in AUTO_ASSIGN_TEST_REDIS_URL, else 3, flushed at start). Node logs land in target/bench/.
#
#   bash reliability/run.sh load [--short]       20,000 chats over ~5 min with invariant checkpoints
#   bash reliability/run.sh failover [--short]   two nodes, one SIGKILLed under load
#
# Set RELIABILITY_SKIP_BUILD=1 to reuse an existing build. Exit status 0 only when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

scenario="${1:-}"
case "$scenario" in
  load) main=io.autoassign.reliability.LoadRun ;;
  failover) main=io.autoassign.reliability.FailoverRun ;;
  *) echo "usage: $0 load|failover [--short]" >&2; exit 2 ;;
esac
shift

source .ci/servers.sh
ensure_postgres
ensure_redis

if [ -z "${RELIABILITY_SKIP_BUILD:-}" ]; then
  mvn -B -q -DskipTests package
fi
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/reliability.classpath >/dev/null
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/reliability.classpath)" "$main" "$@"
