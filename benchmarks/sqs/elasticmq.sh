#!/usr/bin/env bash
# Runs ElasticMQ (the SQS-compatible server the SQS tests start in-process) on 127.0.0.1:${1:-9324}, in the
# foreground, for benchmarks/celery/compare.sh sqs. ElasticMQ is not SQS: no network between client and server,
# exact counts, no throttling; the numbers compare Task Queue and Celery on one server, not SQS's own speed.
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${1:-9324}
conf=$(mktemp --suffix=.conf)
cat > "$conf" <<CONF
include classpath("application.conf")
node-address { protocol = http, host = 127.0.0.1, port = $port, context-path = "" }
rest-sqs { enabled = true, bind-port = $port, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
CONF
cp=$(mktemp)
# ElasticMQ and its Scala and Pekko libraries, from the SQS module's test class path
./mvnw -B -q -pl task-queue-sqs -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" \
  >/dev/null
exec java -Dconfig.file="$conf" -cp "$(cat "$cp")" org.elasticmq.server.Main
