"""Writes the kombu 5.3 typed-JSON vectors in this folder.

Celery 5.3+ cannot be installed here, so this stands in for kombu >= 5.3's kombu/utils/json.py encoder: a
json.JSONEncoder whose default() writes {"__type__": marker, "__value__": value} for datetime (checked before
date, since a datetime is a date), date, time, Decimal, UUID and bytes, with the same per-type encoders
(isoformat(), str(), {"hex", "version"}, UTF-8 text or else base64). Documents are written with json.dumps'
defaults, as kombu's dumps() does, so each file is byte for byte what a Celery 5.3+ peer puts on the wire.

Run it with python3 from this folder; it rewrites the .json files.
"""
import base64
import datetime
import decimal
import json
import uuid


def typed(marker, value):
    return {"__type__": marker, "__value__": value}


class Kombu53Encoder(json.JSONEncoder):

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return typed("datetime", o.isoformat())
        if isinstance(o, datetime.date):
            return typed("date", o.isoformat())
        if isinstance(o, datetime.time):
            return typed("time", o.isoformat())
        if isinstance(o, decimal.Decimal):
            return typed("decimal", str(o))
        if isinstance(o, uuid.UUID):
            return typed("uuid", {"hex": o.hex, "version": o.version})
        if isinstance(o, bytes):
            try:
                return typed("bytes", o.decode("utf-8"))
            except UnicodeDecodeError:
                return typed("base64", base64.b64encode(o).decode("utf-8"))
        return super().default(o)


def dumps(value):
    return json.dumps(value, cls=Kombu53Encoder)


UTC = datetime.timezone.utc
PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))
AWARE = datetime.datetime(2026, 12, 2, 10, 11, 12, 123456, tzinfo=UTC)
NAIVE = datetime.datetime(2026, 12, 2, 10, 11, 12, 123456)
WHOLE_SECOND = datetime.datetime(2026, 12, 2, 10, 11, 12, tzinfo=PLUS_TWO)
DAY = datetime.date(2026, 12, 2)
TIME = datetime.time(10, 11, 12, 123456)
AWARE_TIME = datetime.time(10, 11, 12, tzinfo=PLUS_TWO)
ID = uuid.UUID("6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f")
UTF8 = "café".encode("utf-8")
BINARY = b"\xff\x00\x01"

# one typed value per line: what each Java value is written as, and read back from
values = [
    ("OffsetDateTime 2026-12-02T10:11:12.123456Z", AWARE),
    ("LocalDateTime 2026-12-02T10:11:12.123456", NAIVE),
    ("OffsetDateTime 2026-12-02T10:11:12+02:00", WHOLE_SECOND),
    ("LocalDate 2026-12-02", DAY),
    ("LocalTime 10:11:12.123456", TIME),
    ("OffsetTime 10:11:12+02:00", AWARE_TIME),
    ("BigDecimal 1.10", decimal.Decimal("1.10")),
    ("BigDecimal 1E+2", decimal.Decimal("1E+2")),
    ("BigDecimal -0.000001", decimal.Decimal("-0.000001")),
    ("UUID 6f1c2a4e-8b3d-4c5f-9a7e-1d2b3c4d5e6f", ID),
    ("bytes 636166c3a9", UTF8),
    ("bytes ff0001", BINARY),
]
with open("values.txt", "w", encoding="utf-8") as out:
    for name, value in values:
        out.write(name + "\t" + dumps(value) + "\n")

# a task body (protocol v2: args, kwargs, embed) as a Celery 5.3+ client sends it
callback = {"task": "tasks.after", "args": [DAY], "kwargs": {}, "options": {}, "subtask_type": None,
            "immutable": False}
body = [
    [AWARE, DAY, decimal.Decimal("1.10"), ID, UTF8],
    {"naive": NAIVE, "at": TIME, "binary": BINARY, "nan": decimal.Decimal("NaN"),
     "nested": {"days": [DAY, WHOLE_SECOND]},
     "not_typed": {"__type__": "datetime", "__value__": "2026-12-02", "other": 1}},
    {"callbacks": [callback], "errbacks": None, "chain": None, "chord": None},
]
with open("task_body.json", "w", encoding="utf-8") as out:
    out.write(dumps(body))

# the same with only ASCII text and no escapes, which the worker's fast reader takes without Jackson
plain_body = [[AWARE, DAY, decimal.Decimal("1.10"), ID, b"abc"], {"naive": NAIVE},
              {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]
with open("task_body_ascii.json", "w", encoding="utf-8") as out:
    out.write(dumps(plain_body))

# a type kombu does not know: kombu's object_hook raises ValueError("Unsupported type", ...)
with open("task_body_unknown_type.json", "w", encoding="utf-8") as out:
    out.write(dumps([[typed("complex", "1+2j")], {}, {"callbacks": None, "errbacks": None, "chain": None,
                                                       "chord": None}]))

# a result as Celery 5.3+'s Redis backend stores it (celery-task-meta-<id>): the result in typed values
result = {"status": "SUCCESS",
          "result": {"when": AWARE, "day": DAY, "amount": decimal.Decimal("1.10"), "id": ID, "raw": BINARY},
          "traceback": None, "children": [], "date_done": "2026-12-02T10:11:13.000000",
          "task_id": "a4f1b3c2-5d6e-4f70-8a9b-0c1d2e3f4a5b"}
with open("result_document.json", "w", encoding="utf-8") as out:
    out.write(dumps(result))
