"""A Celery 5.2 worker in the sample's fleet for the dashboard's browser test (SampleDashboardBrowserIT): on the
sample's Redis, with the sample's result backend, consuming a queue of its own so that it never takes the sample's
messages (the Java worker consumes the default queue, celery).

    python3 -m celery -A dashboard_celery worker -E -l info -n py@%h -c 2 -Q <TQ_QUEUE>

TQ_BROKER is the broker and result backend URL (the test's own Redis server), TQ_QUEUE the worker's queue.
"""
import os

from celery import Celery

app = Celery('dashboard_celery', broker=os.environ['TQ_BROKER'], backend=os.environ['TQ_BROKER'])
app.conf.update(
    task_default_queue=os.environ.get('TQ_QUEUE', 'dashboard-py'),
    broker_connection_retry_on_startup=True,
)


@app.task(name='py.add')
def add(x, y):
    return x + y


@app.task(name='py.fail')
def fail(message):
    raise ValueError(message)
