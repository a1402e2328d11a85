"""The Celery 5.2 side of the SQS interop tests (CelerySqsInteropIT), on kombu 5.2.4's SQS transport.

Configured by the environment:
  TQ_BROKER   sqs://<key>:<secret>@127.0.0.1:<port>, the test's own ElasticMQ server
  TQ_BACKEND  the result backend URL (the test's own Redis server)
  TQ_PREFIX   the queue_name_prefix, the same as the Java side's taskqueue.sqs.queue-name-prefix
A worker runs its interop.* tasks; the client script sends the Java worker's it.* tasks.
"""
import os
import time

from celery import Celery
from kombu import Queue

app = Celery('interop_app', broker=os.environ['TQ_BROKER'], backend=os.environ['TQ_BACKEND'])
app.conf.update(
    # ElasticMQ over plain HTTP: any region name will do, is_secure picks http:// for the endpoint
    broker_transport_options={
        'region': 'elasticmq',
        'is_secure': False,
        'wait_time_seconds': 1,
        'visibility_timeout': 60,
        'polling_interval': 0.2,
        'queue_name_prefix': os.environ.get('TQ_PREFIX', ''),
    },
    task_queues=[Queue('interop.celery'), Queue('interop.java')],
    task_default_queue='interop.celery',
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)


@app.task(name='interop.add')
def add(x, y):
    return x + y


@app.task(name='interop.kwargs')
def kwargs(**values):
    return values


@app.task(name='interop.fail')
def fail(message):
    raise ValueError(message)


@app.task(name='interop.now')
def now():
    return int(time.time() * 1000)
