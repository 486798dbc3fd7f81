"""Statements as the phone makes them (static/offline/queue.js), from the package."""

import uuid
from datetime import timedelta

from django.utils import timezone

from lms.xapi.services.statements import timestamp_format

ADL = "http://adlnet.gov/expapi/verbs/"


def device_statement(
    package: dict,
    verb: str,
    *,
    module: int = 0,
    check: int | None = None,
    response: str | None = None,
    success: bool | None = None,
    when=None,
):
    row = package["modules"][module]
    if check is None:
        target = {
            "objectType": "Activity",
            "id": row["iri"],
            "definition": {"type": package["module_type"], "name": {"fr": row["title"]}},
        }
    else:
        item = row["checks"][check]
        target = {
            "objectType": "Activity",
            "id": item["iri"],
            "definition": {"type": package["question_type"], "name": {"fr": item["question"]}},
        }
    statement = {
        "id": str(uuid.uuid4()),
        "actor": package["actor"],
        "verb": {"id": ADL + verb, "display": {"en": verb}},
        "object": target,
        "context": {
            "registration": package["registration"],
            "contextActivities": {
                "parent": [package["course_activity"]],
                "grouping": [package["programme_activity"]],
            },
        },
        "timestamp": timestamp_format(when or timezone.now() - timedelta(minutes=1)),
    }
    if response is not None:
        statement["result"] = {"response": response}
        if success is not None:
            statement["result"]["success"] = success
    return statement
