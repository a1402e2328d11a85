#!/usr/bin/env bash
set -x  # one full run for RESULTS.md: benchmarks/run-all.sh > results.log 2>&1
cd "$(dirname "$0")/.."
date -u
echo "== redis"
benchmarks/celery/compare.sh redis 100000 true 8 2 prefork 5000
/usr/bin/python3 benchmarks/celery/bench.py --broker=redis --tasks=50000 --results=true --concurrency=8 --pool=threads --scenario=throughput
/usr/bin/python3 benchmarks/celery/bench.py --broker=redis --tasks=50000 --results=false --concurrency=2 --pool=prefork --scenario=throughput
java -jar benchmarks/target/benchmarks.jar --broker=redis --tasks=50000 --results=false --concurrency=8 --scenario=throughput,enqueue-sync 2>/dev/null | grep '^bench'
benchmarks/redis/raw.sh
java -jar benchmarks/target/benchmarks.jar --broker=redis --tasks=10000 --results=true --concurrency=8 --scenario=chord,group 2>/dev/null | grep '^bench'
/usr/bin/python3 benchmarks/celery/bench.py --broker=redis --tasks=10000 --results=true --concurrency=2 --pool=prefork --scenario=chord,group
echo "== rabbitmq"
benchmarks/rabbitmq/perftest.sh latency 5000
benchmarks/celery/compare.sh rabbitmq 50000 true 8 2 prefork 5000
/usr/bin/python3 benchmarks/celery/bench.py --broker=rabbitmq --tasks=5000 --results=true --concurrency=8 --pool=threads --scenario=throughput
java -jar benchmarks/target/benchmarks.jar --broker=rabbitmq --tasks=50000 --results=false --concurrency=8 --scenario=throughput 2>/dev/null | grep '^bench'
echo "== memory"
java -jar benchmarks/target/benchmarks.jar --broker=memory --tasks=300000 --results=true --concurrency=8 --scenario=enqueue,throughput,latency 2>/dev/null | grep '^bench'
java -jar benchmarks/target/benchmarks.jar --broker=memory --tasks=300000 --results=false --concurrency=8 --scenario=throughput 2>/dev/null | grep '^bench'
echo "== linear"
java -jar benchmarks/target/benchmarks.jar --broker=memory --tasks=100000 --results=true --scenario=throughput 2>/dev/null | grep '^bench'
java -jar benchmarks/target/benchmarks.jar --broker=memory --tasks=1000000 --results=true --scenario=throughput 2>/dev/null | grep '^bench'
java -jar benchmarks/target/benchmarks.jar --broker=redis --tasks=10000 --results=true --scenario=throughput 2>/dev/null | grep '^bench'
java -jar benchmarks/target/benchmarks.jar --broker=redis --tasks=100000 --results=true --scenario=throughput 2>/dev/null | grep '^bench'
java -jar benchmarks/target/benchmarks.jar --broker=redis --tasks=1000000 --results=true --scenario=throughput 2>/dev/null | grep '^bench'
date -u
