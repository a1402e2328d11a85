"""A Celery 5.2 client of the sample's broker (SampleRemoteControlIT): prints, as one line of JSON, what
app.control.inspect().registered() answers, each worker's registered task names under its node name.

TQ_BROKER is the broker URL (the test's own Redis server).
"""
import json
import os

from celery import Celery

app = Celery('inspect_registered', broker=os.environ['TQ_BROKER'])
print(json.dumps(app.control.inspect(timeout=2.0).registered()))
