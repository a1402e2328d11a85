#!/usr/bin/env bash
# What Celery's events cost a worker, ours and Celery's, on Redis with results: runs interleaved, back to back.
#   benchmarks/events.sh [rounds] [tasks] [celery-tasks] [redis-port]
# Each round runs Task Queue without the events' auto-configuration (--events=false), with its defaults (worker
# events only, --events=worker) and with task events (--events=true), in an order that turns each round; then
# Celery 5.2.6 (prefork, -c 2) without and with -E. The Redis database 1 of 127.0.0.1:<redis-port> (6379 unless
# given; a redis-server of the run's own keeps other users' load off the figures) is flushed by each run.
# Needs benchmarks/target/benchmarks.jar (./mvnw -B -q -DskipTests package) and Debian's python3-celery.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-4}; tasks=${2:-100000}; celery_tasks=${3:-20000}; port=${4:-6379}
uptime
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then order="false worker true"; else order="true worker false"; fi
  for events in $order; do
    java -Dspring.data.redis.port="$port" -jar "$here/target/benchmarks.jar" --broker=redis --tasks="$tasks" \
      --results=true --concurrency=8 --scenario=throughput --events="$events" 2>/dev/null | grep '^bench'
  done
done
uptime
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then order="false true"; else order="true false"; fi
  for events in $order; do
    BENCH_REDIS_URL="redis://127.0.0.1:$port/1" /usr/bin/python3 "$here/celery/bench.py" --broker=redis \
      --tasks="$celery_tasks" --results=true --concurrency=2 --pool=prefork --scenario=throughput \
      --events="$events" | grep '^bench'
  done
done
uptime
