"""Sends the Java worker's tasks from a Celery 5.2 client over SQS and prints the results as one JSON line."""
import json
import sys
import time

from interop_app import app


def results():
    added = app.send_task('it.add', args=[20, 22], queue='interop.java')
    echoed = app.send_task('it.echo', kwargs={'text': 'h\u00e9llo'}, queue='interop.java')
    sent = time.time()
    # an eta: the Java worker parks the message in SQS (re-sent with a delay) until it is due
    later = app.send_task('it.now', queue='interop.java', countdown=2)
    return {'sum': added.get(timeout=60), 'echo': echoed.get(timeout=60),
            'later_ms': later.get(timeout=60) - int(sent * 1000)}


if __name__ == '__main__':
    mode = sys.argv[1]
    print(json.dumps({'results': results}[mode]()))
