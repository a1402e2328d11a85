"""The Celery 5.2 side of the remote-control interop tests (RemoteControlSemantics): Celery's command line runs
against this app (python3 -m celery -A remote_control inspect ping ...), and run as a script it is a Python
client of app.control.

Configured by the environment:
  TQ_BROKER  the broker URL (the test's own Redis server, or the test's own RabbitMQ virtual host)
Modes, each printing its result as one line of JSON:
  registered  app.control.inspect().registered()
  unknown     app.control.broadcast('nosuch', reply=True): what a worker answers to a command it does not know
"""
import json
import os
import sys

from celery import Celery

app = Celery('remote_control', broker=os.environ['TQ_BROKER'])


def main(mode):
    if mode == 'registered':
        result = app.control.inspect(timeout=2.0).registered()
    elif mode == 'unknown':
        result = app.control.broadcast('nosuch', reply=True, timeout=2.0)
    else:
        raise SystemExit('unknown mode ' + mode)
    print(json.dumps(result))


if __name__ == '__main__':
    main(sys.argv[1])
