#!/usr/bin/env bash
# RabbitMQ's own limit, measured by RabbitMQ PerfTest with the guarantees Task Queue promises: persistent
# messages on a durable queue, publisher confirms, mandatory, manual acks; one producer and one consumer,
# the benchmark's prefetch, a message the size of a task. Prints one line in the harness's format:
#   bench impl=raw tool=perftest broker=rabbitmq scenario=raw ... tasks_per_s=<consumed msg/s> p50_ms=...
#   benchmarks/rabbitmq/perftest.sh [messages] [prefetch] [confirm-window] [size-bytes]
# PerfTest (com.rabbitmq:perf-test) comes from Maven Central into benchmarks/target/perftest on first use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
messages=${1:-20000}; prefetch=${2:-64}; confirms=${3:-1000}; size=${4:-700}
version=2.22.1
dir="$here/../target/perftest"
if [ ! -f "$dir/lib/perf-test-$version.jar" ]; then
  mkdir -p "$dir"
  cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>perftest-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>com.rabbitmq</groupId><artifactId>perf-test</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
POM
  "$here/../../mvnw" -B -q -f "$dir/pom.xml" dependency:copy-dependencies -DoutputDirectory="$dir/lib" \
    -DincludeScope=runtime >&2
fi
# the queue is this script's own: start from none, whatever an earlier run (or another -ad) left behind
rabbitmqctl delete_queue -p / bench.perftest >/dev/null 2>&1 || true
out=$(mktemp)
java -cp "$dir/lib/*" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672/%2F \
  -x 1 -y 1 -u bench.perftest -ad true -f persistent -f mandatory -c "$confirms" -q "$prefetch" -s "$size" \
  -C "$messages" -D "$messages" > "$out" 2>&1 || { cat "$out" >&2; rm -f "$out"; exit 1; }
rate=$(grep -o 'receiving rate avg: [0-9]*' "$out" | grep -o '[0-9]*$')
# consumer latency min/median/75th/95th/99th in microseconds (publish to consume)
lat=$(grep 'consumer latency min/median' "$out" | tail -1 | sed 's/.* //' | tr '/' ' ')
rm -f "$out"
read -r _ p50 _ p95 p99 <<<"$lat"
printf 'bench impl=raw tool=perftest broker=rabbitmq scenario=raw results=false tasks=%d concurrency=1 tasks_per_s=%s p50_ms=%s p90_ms= p99_ms=%s rss_mb=\n' \
  "$messages" "$rate" "$(awk "BEGIN{printf \"%.3f\", $p50/1000}")" "$(awk "BEGIN{printf \"%.3f\", $p99/1000}")"
