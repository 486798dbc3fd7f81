"""No 500 on any input, in either version: random JSON shaped like statements (and
anything else) posted with a 1.0.3 or 2.0 header is answered 200 or a 4xx."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.xapi.conftest import statement

SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=12,
)
CONTEXT_KEYS = st.sampled_from(
    ["contextAgents", "contextGroups", "contextActivities", "instructor", "registration"]
)
TIMESTAMPS = st.text(alphabet="0123456789-:TZ .+", max_size=30) | st.sampled_from(
    [
        "2008-09-15 15:53:00.601+00:00",
        "2008-09-15T15:53:00.601-00:00",
        "2024-02-30T10:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T24:00:00Z",
    ]
)


@pytest.mark.django_db
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    version=st.sampled_from(["1.0.3", "2.0.0", "2.0", "1.0"]),
    context=st.dictionaries(CONTEXT_KEYS, JSON, max_size=3),
    timestamp=TIMESTAMPS,
    extra=JSON,
)
def test_statements_post_never_answers_500(xapi, version, context, timestamp, extra):
    xapi.version = version
    data = statement(context=context, timestamp=timestamp)
    for body in (data, [data, extra], extra):
        response = xapi.post("/xapi/statements", json.dumps(body))
        assert response.status_code < 500, response.content
    got = xapi.get("/xapi/statements", {"format": "ids"})
    assert got.status_code == 200
