"""The Celery 5.2 side of the benchmarks: the same trivial task as the Java harness.

Configured by the environment: BENCH_BROKER (redis|rabbitmq|sqs), BENCH_RESULTS (true|false), BENCH_REDIS_URL
(redis://127.0.0.1:6379/1 unless set: a redis-server of the run's own, say).
That Redis database is used for the Redis broker, for results, and for the run counter.
"""
import os

import redis
from celery import Celery

REDIS_URL = os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379/1')
BROKER = os.environ.get('BENCH_BROKER', 'redis')
RESULTS = os.environ.get('BENCH_RESULTS', 'true') == 'true'

BROKER_URLS = {
    'redis': REDIS_URL,
    'rabbitmq': 'amqp://guest:guest@127.0.0.1:5672//',
    # ElasticMQ from benchmarks/sqs/elasticmq.sh (any credentials, any region, plain HTTP)
    'sqs': os.environ.get('BENCH_SQS_URL', 'sqs://x:x@127.0.0.1:9324'),
}

app = Celery('benchapp', broker=BROKER_URLS[BROKER], backend=REDIS_URL if RESULTS else None)
if BROKER == 'sqs':
    # the same long poll as the Java side's taskqueue.sqs.wait-time=1s
    app.conf.broker_transport_options = {'region': 'elasticmq', 'is_secure': False, 'wait_time_seconds': 1}
app.conf.update(task_default_queue='bench.celery', task_ignore_result=not RESULTS,
                worker_prefetch_multiplier=4, broker_connection_retry_on_startup=True)

counter = redis.Redis.from_url(REDIS_URL)


@app.task(name='bench.add')
def add(x, y):
    counter.incr('bench:runs')
    return x + y


@app.task(name='bench.sum')
def total(values):
    # the body of the chord scenario
    return sum(values)
