#!/usr/bin/env bash
# Redis' own limit for what a task queue asks of it, measured by redis-benchmark (Debian's redis-tools, the
# same version as the server): LPUSH then RPOP of a task-sized message, pipelined, 50 clients, in database 1
# (the harness's), on 127.0.0.1:6379. Prints one line in the harness's format: push+pop pairs per second,
# i.e. 1 / (1 / LPUSH rate + 1 / RPOP rate); each RPOP takes what an LPUSH left, so the list ends empty.
#
#   benchmarks/redis/raw.sh [messages] [size-bytes] [pipeline]
set -euo pipefail
messages=${1:-200000}; size=${2:-700}; pipeline=${3:-100}
csv=$(redis-benchmark -h 127.0.0.1 -p 6379 --dbnum 1 -q --csv -n "$messages" -d "$size" -P "$pipeline" -t lpush,rpop)
lpush=$(echo "$csv" | awk -F'","' '/^"LPUSH"/ {print $2}' | tr -d '"')
rpop=$(echo "$csv" | awk -F'","' '/^"RPOP"/ {print $2}' | tr -d '"')
if [ -z "$lpush" ] || [ -z "$rpop" ]; then
  echo "redis-benchmark printed no LPUSH/RPOP rates:" >&2; echo "$csv" >&2; exit 1
fi
pairs=$(awk -v a="$lpush" -v b="$rpop" 'BEGIN { printf "%.0f", 1 / (1 / a + 1 / b) }')
echo "bench impl=raw tool=redis-benchmark broker=redis scenario=raw results=false tasks=$messages concurrency=50" \
  "tasks_per_s=$pairs p50_ms= p90_ms= p99_ms= rss_mb= lpush_per_s=${lpush%.*} rpop_per_s=${rpop%.*} pipeline=$pipeline size=$size"
