"""Real Celery 5.2 on the other side of the events interop tests (CeleryEventsRedisIT, RabbitCeleryEventsIT).

    python3 events_celery.py receive          Celery's EventReceiver (app.events.Receiver, as `celery events` and
                                              Flower use it): prints READY once consuming, then every event it
                                              receives as one JSON line, with what Celery's events.State made of
                                              it (_task_state, _worker_alive)
    python3 events_celery.py worker <node>    a Celery worker with -E consuming the queue events-py

The broker is TQ_BROKER (a Redis or AMQP URL of the test's own server or virtual host).
"""
import json
import os
import sys

from celery import Celery

app = Celery('events_celery', broker=os.environ['TQ_BROKER'])
app.conf.update(
    task_default_queue='events-py',
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)


@app.task(name='events.py.add')
def add(x, y):
    return x + y


@app.task(name='events.py.fail')
def fail(message):
    raise ValueError(message)


def receive():
    # Celery's state machine, which `celery events` and Flower keep: it says what it made of each event
    state = app.events.State()

    def on_event(event):
        state.event(event)
        if 'uuid' in event:
            event['_task_state'] = state.tasks[event['uuid']].state
        if event['type'].startswith('worker-'):
            event['_worker_alive'] = state.workers[event['hostname']].alive
        print(json.dumps(event), flush=True)

    class Receiver(app.events.Receiver):

        def on_consume_ready(self, connection, channel, consumers, **kwargs):
            print('READY', flush=True)
            super().on_consume_ready(connection, channel, consumers, **kwargs)

    with app.connection() as connection:
        Receiver(connection, handlers={'*': on_event}).capture(limit=None, timeout=None, wakeup=True)


def worker(node):
    # the prefork pool, as in production: its task events go in task.multi batches
    app.worker_main(['worker', '-E', '-n', node, '-Q', 'events-py', '-c', '1', '--without-mingle',
                     '--loglevel=INFO'])


if __name__ == '__main__':
    if sys.argv[1] == 'receive':
        receive()
    elif sys.argv[1] == 'worker':
        worker(sys.argv[2])
    else:
        sys.exit('unknown command ' + sys.argv[1])
