"""A Celery 5.2 client sending the Java worker's tasks, for RabbitCeleryInteropIT.

  client.py results   send it.* tasks to interop.java, wait for their results over rpc://,
                      print them as one JSON object
  client.py revoke    send it.add with a countdown to interop.java, revoke it with app.control.revoke
                      (reply=True), print the replies and the state the Java worker stored
  client.py priority  send it.record tasks with priorities 1, 9, 5, 0, 7 to the priority queue
                      interop.java.prio and exit (the Java worker starts afterwards)
"""
import json
import sys
import time

from interop_app import app

TIMEOUT = 60


def results():
    out = {}
    r = app.send_task('it.add', args=[2, 3], queue='interop.java')
    out['add'] = r.get(timeout=TIMEOUT)
    r = app.send_task('it.add', args=[2], kwargs={'y': 40}, queue='interop.java')
    out['kwargs'] = r.get(timeout=TIMEOUT)
    r = app.send_task('it.fail', args=['boom'], queue='interop.java')
    r.get(timeout=TIMEOUT, propagate=False)
    out['fail'] = {'state': r.state, 'type': type(r.result).__name__, 'message': str(r.result)}
    sent = int(time.time() * 1000)
    r = app.send_task('it.now', countdown=2, queue='interop.java')
    out['countdown'] = {'sent': sent, 'ran': r.get(timeout=TIMEOUT)}
    print(json.dumps(out))


def revoke():
    out = {}
    r = app.send_task('it.add', args=[1, 2], countdown=3, queue='interop.java')
    out['replies'] = app.control.revoke(r.id, reply=True, timeout=2)
    try:
        r.get(timeout=TIMEOUT)
        out['state'] = 'ran'
    except Exception as error:  # TaskRevokedError, from the Java worker's REVOKED result
        out['state'] = r.state
        out['error'] = type(error).__name__
    print(json.dumps(out))


def priority():
    for p in (1, 9, 5, 0, 7):
        app.send_task('it.record', args=['p%d' % p], queue='interop.java.prio', priority=p)
    print(json.dumps({'sent': 5}))


if __name__ == '__main__':
    {'results': results, 'revoke': revoke, 'priority': priority}[sys.argv[1]]()
