#!/usr/bin/env bash
# Summarises a JFR recording of the service: the hottest methods (top frames of CPU samples)
# and the hottest frames anywhere on the stack within io.autoassign / org.camunda / jdbc.
#   bash bench/jfr-top.sh target/bench/e2e.jfr [lines]
set -euo pipefail
file=$1; lines=${2:-30}
jfr print --events jdk.ExecutionSample --stack-depth 64 "$file" > /tmp/jfr-samples.txt
echo "== samples: $(grep -c 'jdk.ExecutionSample' /tmp/jfr-samples.txt)"
echo "== top frames (self time)"
awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' /tmp/jfr-samples.txt | sort | uniq -c | sort -rn | head -n "$lines"
echo "== frames on the stack (inclusive), our code and the engine"
awk '/stackTrace = \[/{inside=1; delete seen; next} inside && /^[ \t]*\]/{inside=0; next} inside{f=$0; sub(/^[ \t]+/, "", f); sub(/line:.*/, "", f); if (!(f in seen)) {seen[f]=1; print f}}' /tmp/jfr-samples.txt \
  | grep -E "io\.autoassign|DbSqlSession\.flush|ExecuteJobs|StartProcessInstance|TransactionTemplate|PgPreparedStatement\.execute|JedisPool|Tomcat|StompSubProtocol|SimpleBroker|Jackson|ObjectMapper\.write" \
  | sort | uniq -c | sort -rn | head -n "$lines"
