#!/usr/bin/env bash
# What the dashboard (issue 18) costs the workers, on Redis with results: runs interleaved, back to back.
#   benchmarks/dashboard.sh [rounds] [tasks] [redis-port]
# Each round runs Task Queue with task events on (--events=true) and the dashboard off (a non-web application),
# on (a servlet web application serving the dashboard: its cluster state fed by the events, its streams' thread
# pushing changes every 500 ms, no browser) and tab (on, plus one simulated browser tab in the same JVM: the SSE
# stream read continuously, the tasks page and the throughput chart fetched every 5 s), in an order that turns
# each round. It starts a redis-server of its own on <redis-port> (6393 unless given; no persistence), whose
# database 1 each run flushes, and stops it at the end. Prints each run's lines (bench: tasks/s; drain: CPU per
# task; dashboard: the cluster state's tasks and the heap used after a GC at the end), then the medians.
# MODES="off tab tab-webflux" picks the runs of a round (default "off on tab"): on-webflux and tab-webflux serve
# the dashboard from WebFlux on Reactor Netty (--web=reactive) instead of Spring MVC on Tomcat.
# Needs benchmarks/target/benchmarks.jar (./mvnw -B -q -DskipTests package -pl benchmarks -am) and redis-server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-4}; tasks=${2:-100000}; port=${3:-6393}
out=$(mktemp)
redis-server --port "$port" --save '' --appendonly no --daemonize yes >/dev/null
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -f "$out"' EXIT
start=$(date +%s)
uptime
read -r -a modes <<< "${MODES:-off on tab}"
for round in $(seq 1 "$rounds"); do
  # the order turns each round: a machine that warms up or gets busier favours no mode
  shift_by=$(( (round - 1) % ${#modes[@]} ))
  order=("${modes[@]:$shift_by}" "${modes[@]:0:$shift_by}")
  for mode in "${order[@]}"; do
    dashboard=${mode%-webflux}
    web=servlet; [ "$dashboard" != "$mode" ] && web=reactive
    java -Dspring.data.redis.port="$port" -jar "$here/target/benchmarks.jar" --broker=redis --tasks="$tasks" \
      --results=true --concurrency=8 --scenario=throughput --events=true --dashboard="$dashboard" --web="$web" 2>&1 \
      | grep -E '^(bench|drain|dashboard) ' | sed "s/^/$mode /" | tee -a "$out"
  done
  uptime
done
echo "elapsed_s=$(( $(date +%s) - start ))"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
base=$(grep '^off bench' "$out" | sed 's/.*tasks_per_s=\([0-9]*\).*/\1/' | median)
for dashboard in "${modes[@]}"; do
  runs=$(grep "^$dashboard bench" "$out" | sed 's/.*tasks_per_s=\([0-9]*\).*/\1/' | tr '\n' ' ')
  m=$(grep "^$dashboard bench" "$out" | sed 's/.*tasks_per_s=\([0-9]*\).*/\1/' | median)
  cpu=$(grep "^$dashboard drain" "$out" | sed 's/.*cpu_us_per_task=\([0-9.]*\).*/\1/' | median)
  heap=$(grep "^$dashboard dashboard" "$out" | sed 's/.*heap_used_after_gc_mb=\([0-9]*\).*/\1/' | median)
  echo "dashboard=$dashboard runs_tasks_per_s=[ $runs] median=$m ratio=$(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.2f", m / b }') cpu_us_per_task_median=$cpu heap_after_gc_mb_median=$heap"
done
