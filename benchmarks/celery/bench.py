"""Celery 5.2.6 measured the way the Java harness measures Task Queue, printing the same line format.

    /usr/bin/python3 bench.py --broker=redis|rabbitmq --tasks=N [--results=true|false]
                              [--concurrency=C] [--pool=prefork|threads|solo]
                              [--scenario=enqueue,throughput,latency,chord,group] [--events=true|false]

--events=true runs the worker with -E (task events); heartbeats, gossip and mingle stay off either way.
"""
import os
import subprocess
import sys
import time

ARGS = dict(arg[2:].split('=', 1) for arg in sys.argv[1:])
BROKER = ARGS.get('broker', 'redis')
TASKS = int(ARGS.get('tasks', '10000'))
RESULTS = ARGS.get('results', 'true')
CONCURRENCY = int(ARGS.get('concurrency', '2'))
POOL = ARGS.get('pool', 'prefork')
SCENARIOS = ARGS.get('scenario', 'enqueue,throughput,latency').split(',')
EVENTS = ARGS.get('events', 'false') == 'true'
IMPL = 'celery+events' if EVENTS else 'celery'

os.environ['BENCH_BROKER'] = BROKER
os.environ['BENCH_RESULTS'] = RESULTS
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchapp import add, app, counter, total  # noqa: E402
from celery import chord as celery_chord, group as celery_group  # noqa: E402


def line(scenario, results, rate='', p50='', p90='', p99='', rss=''):
    print('bench impl=%s pool=%s broker=%s scenario=%s results=%s tasks=%d concurrency=%d tasks_per_s=%s '
          'p50_ms=%s p90_ms=%s p99_ms=%s rss_mb=%s' % (IMPL, POOL, BROKER, scenario, results, TASKS, CONCURRENCY, rate,
                                                       p50, p90, p99, rss), flush=True)


def purge():
    counter.flushdb()
    app.control.purge()


def worker():
    env = dict(os.environ)
    return subprocess.Popen([sys.executable, '-m', 'celery', '-A', 'benchapp', 'worker', '-Q', 'bench.celery',
                             '-c', str(CONCURRENCY), '-P', POOL, '-l', 'WARNING', '--without-gossip',
                             '--without-mingle', '--without-heartbeat'] + (['-E'] if EVENTS else []),
                            cwd=os.path.dirname(os.path.abspath(__file__)), env=env)


def stop(process):
    process.terminate()
    process.wait(60)


def enqueue():
    purge()
    start = time.perf_counter()
    for i in range(TASKS):
        app.send_task('bench.add', args=[i, 1])
    line('enqueue', RESULTS, '%.0f' % (TASKS / (time.perf_counter() - start)))
    purge()


def throughput():
    purge()
    last = [app.send_task('bench.add', args=[i, 1]) for i in range(TASKS)][-100:]
    start = time.perf_counter()
    process = worker()
    try:
        while int(counter.get('bench:runs') or 0) < TASKS:
            time.sleep(0.005)
        if RESULTS == 'true':
            for result in last:
                result.get(timeout=120)
        line('throughput', RESULTS, '%.0f' % (TASKS / (time.perf_counter() - start)))
    finally:
        stop(process)


def latency():
    purge()
    process = worker()
    try:
        for i in range(min(1000, TASKS)):
            app.send_task('bench.add', args=[i, 1]).get(timeout=120)
        samples = []
        for i in range(TASKS):
            start = time.perf_counter()
            app.send_task('bench.add', args=[i, 1]).get(timeout=120)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()

        def at(p):
            return '%.3f' % samples[max(0, min(len(samples) - 1, int(-(-p * len(samples) // 1)) - 1))]
        line('latency', 'true', '', at(0.5), at(0.9), at(0.99))
    finally:
        stop(process)


def canvas(kind):
    # a chord of TASKS header tasks whose body sums them (or the same tasks as a group joined here), sent to a
    # running worker: the time from the first header task sent to the body's (or the last) result
    purge()
    process = worker()
    try:
        app.control.ping(timeout=10, limit=1)
        header = [add.s(i, 1) for i in range(TASKS)]
        start = time.perf_counter()
        if kind == 'chord':
            value = celery_chord(header)(total.s()).get(timeout=600)
            assert value == TASKS * (TASKS + 1) // 2, value
        else:
            values = celery_group(header).apply_async().get(timeout=600)
            assert len(values) == TASKS
        line(kind, 'true', '%.0f' % (TASKS / (time.perf_counter() - start)))
    finally:
        stop(process)


for scenario in SCENARIOS:
    if scenario == 'latency' and RESULTS != 'true':
        os.environ['BENCH_RESULTS'] = 'true'
    {'enqueue': enqueue, 'throughput': throughput, 'latency': latency,
     'chord': lambda: canvas('chord'), 'group': lambda: canvas('group')}[scenario]()
