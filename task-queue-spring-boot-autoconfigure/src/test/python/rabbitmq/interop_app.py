"""The Celery 5.2 side of the RabbitMQ interop tests (RabbitCeleryInteropIT).

Configured by the environment:
  TQ_BROKER   the AMQP URL, with the test's own virtual host
  TQ_BACKEND  the result backend URL (default rpc://; the Redis one for results in Redis)
A worker runs its interop.* tasks; the client script sends the Java worker's it.* tasks.
"""
import os
import time

from celery import Celery
from kombu import Queue

app = Celery('interop_app', broker=os.environ['TQ_BROKER'], backend=os.environ.get('TQ_BACKEND', 'rpc://'))
app.conf.update(
    task_queues=[
        Queue('interop.celery'),
        Queue('interop.java'),
        # the same arguments as the Java side's topology, or one of the two declarations would fail
        Queue('interop.prio', queue_arguments={'x-max-priority': 10}),
        Queue('interop.java.prio', queue_arguments={'x-max-priority': 10}),
    ],
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


@app.task(name='interop.stamp')
def stamp(tag):
    return [tag, time.time()]
