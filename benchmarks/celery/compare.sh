#!/usr/bin/env bash
# Runs Task Queue and Celery 5.2.6 on one broker in one go, then prints the ratio for each scenario.
#   benchmarks/celery/compare.sh redis|rabbitmq|sqs [tasks] [results] [java-concurrency] [celery-concurrency] [celery-pool]
#                                [latency-samples]
# tasks: sent by enqueue, drained by throughput; latency-samples (default 5000): round trips timed by latency.
# Needs benchmarks/target/benchmarks.jar (./mvnw -B -q -DskipTests package) and Debian's python3-celery.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
broker=${1:-redis}; tasks=${2:-20000}; results=${3:-true}
java_c=${4:-8}; celery_c=${5:-2}; pool=${6:-prefork}; samples=${7:-5000}
out=$(mktemp)
java -jar "$here/../target/benchmarks.jar" --broker="$broker" --tasks="$tasks" --results="$results" \
  --concurrency="$java_c" --scenario=enqueue,throughput 2>/dev/null | grep '^bench' | tee -a "$out"
java -jar "$here/../target/benchmarks.jar" --broker="$broker" --tasks="$samples" \
  --concurrency="$java_c" --scenario=latency 2>/dev/null | grep '^bench' | tee -a "$out"
if [ "$broker" = sqs ]; then
  : # no raw limit measured for ElasticMQ (benchmarks/sqs/elasticmq.sh must be running)
elif [ "$broker" = rabbitmq ]; then
  # RabbitMQ's limit is RabbitMQ PerfTest's, with our guarantees and the harness's prefetch (see the script)
  "$here/../rabbitmq/perftest.sh" "$tasks" $(( java_c * 4 > 64 ? java_c * 4 : 64 )) | tee -a "$out"
else
  # Redis' limit (redis-benchmark, pipelined, 50 clients), and one Java client's (Lettuce, one connection)
  "$here/../redis/raw.sh" | tee -a "$out"
  java -jar "$here/../target/benchmarks.jar" --broker="$broker" --tasks="$tasks" --scenario=raw 2>/dev/null \
    | grep '^bench' | tee -a "$out"
fi
/usr/bin/python3 "$here/bench.py" --broker="$broker" --tasks="$tasks" --results="$results" \
  --concurrency="$celery_c" --pool="$pool" --scenario=enqueue,throughput | grep '^bench' | tee -a "$out"
/usr/bin/python3 "$here/bench.py" --broker="$broker" --tasks="$samples" --results=true \
  --concurrency="$celery_c" --pool="$pool" --scenario=latency | grep '^bench' | tee -a "$out"
/usr/bin/python3 - "$out" <<'PY'
import sys
rows = [dict(f.split('=', 1) for f in line.split()[1:]) for line in open(sys.argv[1])]
def pick(impl, scenario):
    return next((r for r in rows if r['impl'] == impl and r['scenario'] == scenario), None)
for scenario in ('enqueue', 'throughput'):
    ours, theirs = pick('taskqueue', scenario), pick('celery', scenario)
    if ours and theirs and ours['tasks_per_s'] and theirs['tasks_per_s']:
        print('ratio scenario=%s taskqueue_over_celery=%.1f' % (scenario, float(ours['tasks_per_s']) / float(theirs['tasks_per_s'])))
ours = pick('taskqueue', 'throughput')
for impl, name in (('raw', 'raw_broker'), ('raw-client', 'raw_client')):
    raw = pick(impl, 'raw')
    if raw and ours:
        print('ratio scenario=throughput taskqueue_over_%s=%.3f' % (name, float(ours['tasks_per_s']) / float(raw['tasks_per_s'])))
ours, theirs = pick('taskqueue', 'latency'), pick('celery', 'latency')
if ours and theirs:
    print('ratio scenario=latency p50_celery_over_taskqueue=%.1f p99_celery_over_taskqueue=%.1f' % (
        float(theirs['p50_ms']) / float(ours['p50_ms']), float(theirs['p99_ms']) / float(ours['p99_ms'])))
PY
rm -f "$out"
