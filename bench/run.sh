#!/usr/bin/env bash
# The benchmark's one command. Builds the service jar and the load generator, then runs
# io.autoassign.bench.Bench (src/test/java/io/autoassign/bench/), which starts the service on
# the local PostgreSQL and Redis for each configuration, drives it with real HTTP and STOMP
# clients and writes bench/RESULTS.md.
#
#   bash bench/run.sh                 the full run, 3 repetitions (about two hours; --reps 1 --scale-levels 0,10000 about 70 minutes)
#   bash bench/run.sh --smoke         seconds-long windows, 1 repetition, target/bench/RESULTS-smoke.md
#   bash bench/run.sh --only e2e,bulk parts: decisions, queue, estimate, e2e, drain, webhooks, ratelimit, levels, history, tuning, bulk, scale, nodes, cluster
#   bash bench/run.sh --reps 5        more repetitions
#   bash bench/run.sh --callers 64    closed-loop callers for the maximum rate (default 32)
#   bash bench/run.sh --scale-levels 0,10000   open-chat levels of the scale part
#
# Set BENCH_SKIP_BUILD=1 to reuse an existing build. BENCH_JAVA_OPTS passes options to the load
# generator, e.g. -Dbench.jfrDir=target/bench (each node writes a flight recording there, for
# bench/jfr-top.sh; -Dbench.jfrSettings=FILE.jfc for other settings), -Dbench.keepDatabases=true,
# -Dbench.autoExplainMs=N.
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/servers.sh
ensure_postgres
ensure_redis

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  mvn -B -q -DskipTests package
fi
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.autoassign.bench.Bench "$@"
