#!/usr/bin/env bash
# RabbitMQ's own limit, measured by RabbitMQ PerfTest with the guarantees Task Queue promises: persistent
# messages on a durable queue, publisher confirms, mandatory, manual acks; one producer and one consumer,
# the benchmark's prefetch, a message the size of a task.
#
#   benchmarks/rabbitmq/perftest.sh [messages] [prefetch] [confirm-window] [size-bytes]
#     throughput: up to confirm-window messages unconfirmed at once. One line in the harness's format, with
#     PerfTest's own latencies (under a full pipe they are mostly time spent queued):
#     bench impl=raw tool=perftest broker=rabbitmq scenario=raw ... tasks_per_s=<consumed msg/s>
#       p50_ms=<consumer p50> p90_ms= p99_ms=<consumer p99> ... confirm_p50_ms=... confirm_p99_ms=...
#   benchmarks/rabbitmq/perftest.sh latency [messages] [prefetch] [size-bytes]
#     the floor of the latency scenario: one message in flight (a publish waits for its confirm before the
#     next, as TaskClient.send does). p50/p95/p99 of PerfTest's confirm latency (publish to confirm: what
#     send() waits for) and of its consumer latency (publish to delivery):
#     bench impl=raw tool=perftest broker=rabbitmq scenario=latency ... p50_ms=<confirm p50> ...
#
# PerfTest prints 'consumer latency min/median/75th/95th/99th a/b/c/d/e µs' and the same for 'confirm
# latency' (microseconds); the last of each, the whole run's, is the one read here.
# PerfTest (com.rabbitmq:perf-test) comes from Maven Central into benchmarks/target/perftest on first use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=throughput
if [ "${1:-}" = latency ]; then
  mode=latency; shift
  messages=${1:-3000}; prefetch=${2:-64}; confirms=1; size=${3:-700}
else
  messages=${1:-20000}; prefetch=${2:-64}; confirms=${3:-1000}; size=${4:-700}
fi
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
trap 'rm -f "$out"' EXIT
java -cp "$dir/lib/*" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672/%2F \
  -x 1 -y 1 -u bench.perftest -ad true -f persistent -f mandatory -c "$confirms" -q "$prefetch" -s "$size" \
  -C "$messages" -D "$messages" > "$out" 2>&1 || { cat "$out" >&2; exit 1; }
rate=$(grep -o 'receiving rate avg: [0-9]*' "$out" | grep -o '[0-9]*$' || true)

# 'min/median/75th/95th/99th' of the last summary line for $1 ('consumer' or 'confirm'), in ms
latencies() {
  grep "$1 latency min/median/75th/95th/99th" "$out" | tail -1 \
    | grep -o '[0-9][0-9]*/[0-9][0-9]*/[0-9][0-9]*/[0-9][0-9]*/[0-9][0-9]*' \
    | awk -F/ '{ printf "%.3f %.3f %.3f %.3f %.3f", $1/1000, $2/1000, $3/1000, $4/1000, $5/1000 }'
}
read -r _ consumer50 _ consumer95 consumer99 <<<"$(latencies consumer)" || true
read -r _ confirm50 _ confirm95 confirm99 <<<"$(latencies confirm)" || true
if [ -z "${consumer50:-}" ] || [ -z "${confirm50:-}" ]; then
  echo "perftest.sh: no latency summary in PerfTest's output:" >&2; tail -5 "$out" >&2; exit 1
fi
if [ "$mode" = latency ]; then
  printf 'bench impl=raw tool=perftest broker=rabbitmq scenario=latency results=false tasks=%d concurrency=1 tasks_per_s=%s p50_ms=%s p90_ms= p99_ms=%s rss_mb= confirm_p50_ms=%s confirm_p95_ms=%s confirm_p99_ms=%s consumer_p50_ms=%s consumer_p95_ms=%s consumer_p99_ms=%s\n' \
    "$messages" "$rate" "$confirm50" "$confirm99" "$confirm50" "$confirm95" "$confirm99" "$consumer50" "$consumer95" "$consumer99"
else
  printf 'bench impl=raw tool=perftest broker=rabbitmq scenario=raw results=false tasks=%d concurrency=1 tasks_per_s=%s p50_ms=%s p90_ms= p99_ms=%s rss_mb= confirm_p50_ms=%s confirm_p95_ms=%s confirm_p99_ms=%s\n' \
    "$messages" "$rate" "$consumer50" "$consumer99" "$confirm50" "$confirm95" "$confirm99"
fi
