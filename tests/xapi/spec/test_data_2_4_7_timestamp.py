"""Data 2.4.7 Timestamp, 2.4.8 Stored and 4.5 ISO 8601 Timestamps."""

from datetime import UTC, datetime

import pytest

from lms.xapi.spec import XAPIValidationError, validate_statement
from lms.xapi.spec.primitives import parse_timestamp

VALID = [
    "2015-11-18T12:17:00+00:00",
    "2013-05-18T05:32:34.804Z",
    "2013-04-01T12:00:00Z",
    "2013-05-18T05:32:34.804+02:00",
    "2013-05-18T05:32:34.804-05:30",
    "2013-05-18T05:32:34,804+0200",
    "2013-05-18T05:32+01",
    "20130518T053234Z",
    "20130518T053234.804+0200",
    "2013-05-18T05:32:34.123456789Z",
]


@pytest.mark.parametrize("value", VALID)
def test_data_4_5_s1_b1_iso_8601_timestamps_accepted(statement, value):
    statement["timestamp"] = value
    statement["stored"] = value
    validate_statement(statement)


@pytest.mark.parametrize(
    "value",
    [
        "should fail",
        "01/011/2015",
        "2015-13-18T12:17:00Z",  # no 13th month
        "2015-02-30T12:17:00Z",  # no 30 February
        "2015-11-18 12:17:00Z",  # space is RFC 3339 only, not ISO 8601
        "2015-11-18",  # a date is no point in time
        "2015-11-18T25:00:00Z",
        "2015-11-18T12:17:00+24:00",
        1447849020,
    ],
)
def test_data_4_5_s1_b1_timestamp_must_be_iso_8601(statement, reject, value):
    statement["timestamp"] = value
    reject(statement, "statement.timestamp")


@pytest.mark.parametrize(
    "value",
    ["2008-09-15T15:53:00.601-00", "2008-09-15T15:53:00.601-0000", "2008-09-15T15:53:00.601-00:00"],
)
def test_data_4_5_s1_b1_negative_zero_offset_rejected(statement, reject, value):
    statement["timestamp"] = value
    reject(statement, "statement.timestamp", says="negative zero")


def test_data_4_5_s1_b4_timestamp_without_time_zone_rejected(statement, reject):
    statement["timestamp"] = "2015-11-18T12:17:00"
    reject(statement, "statement.timestamp", says="time zone")


def test_data_2_4_7_s3_b6_future_timestamp_not_rejected(statement):
    statement["timestamp"] = "2999-12-31T23:59:59Z"
    validate_statement(statement)


def test_data_2_4_8_s3_b2_stored_is_validated(statement, reject):
    statement["stored"] = "yesterday"
    reject(statement, "statement.stored", says="ISO 8601")


def test_data_4_5_parse_timestamp_returns_instant():
    moment = parse_timestamp("2013-05-18T07:32:34.804+02:00", "t")
    assert moment == datetime(2013, 5, 18, 5, 32, 34, 804000, tzinfo=UTC)


def test_data_4_5_parse_timestamp_end_of_day_24_00():
    assert parse_timestamp("2013-05-18T24:00:00Z", "t") == datetime(2013, 5, 19, tzinfo=UTC)


def test_data_4_5_parse_timestamp_error_names_path():
    with pytest.raises(XAPIValidationError) as caught:
        parse_timestamp("nope", "since")
    assert caught.value.path == "since"
