"""The Celery 5.2 worker the remote-control client ITs inspect and steer (ControlClientSemantics).

    python3 -m celery -A control_celery worker -n <nodename> -Q control-py ...

Configured by the environment: TQ_BROKER, the broker URL (the test's own redis-server, or its RabbitMQ
virtual host). No result backend: the tests look at the worker, not at results.
"""
import os
import time

from celery import Celery

app = Celery('control_celery', broker=os.environ['TQ_BROKER'])
app.conf.update(
    task_default_queue='control-py',
    task_ignore_result=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)


@app.task(name='control.py.add')
def add(x, y):
    return x + y


@app.task(name='control.py.sleep')
def sleep(seconds):
    time.sleep(seconds)
    return seconds
