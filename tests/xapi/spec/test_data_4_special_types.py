"""Data 4 Special Data Types: IRIs (3.1, 4.3), language tags (4.2), durations (4.6)."""

import pytest

from lms.xapi.spec import XAPIValidationError
from lms.xapi.spec.primitives import (
    check_duration,
    check_iri,
    check_language_map,
    is_language_tag,
)


@pytest.mark.parametrize(
    "iri",
    [
        "http://adlnet.gov/expapi/verbs/attempted",
        "https://example.com/xapi/verbs#sent-a-statement",
        "http://example.com/فعل/خواندن",
        "urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "tag:example.com,2024:activity",
        "https://example.com/a%20b?x=1&y=2",
        "mailto:someone@example.org",
    ],
)
def test_data_4_3_valid_iris_accepted(iri):
    assert check_iri(iri, "p") == iri


@pytest.mark.parametrize(
    ("iri", "says"),
    [
        ("", "empty"),
        ("example.com/verb", "scheme"),
        ("/relative/path", "scheme"),
        ("#fragment", "scheme"),
        ("http:", "after the scheme"),
        ("http://example.com/with space", "' '"),
        ("http://example.com/<tag>", "'<'"),
        ("http://example.com/100%", "hexadecimal"),
        ("http://", "needs a host"),
        ("1http://example.com", "scheme"),
    ],
)
def test_data_2_2_s4_b1_b8_invalid_iris_rejected(iri, says):
    with pytest.raises(XAPIValidationError) as caught:
        check_iri(iri, "statement.verb.id")
    assert caught.value.path == "statement.verb.id"
    assert says in caught.value.message


@pytest.mark.parametrize(
    "tag",
    [
        "en",
        "en-US",
        "es-419",
        "zh-Hant-TW",
        "sr-Latn-RS",
        "de-CH-1996",
        "tlh",
        "x-private",
        "en-x-custom",
        "i-klingon",
        "zh-min-nan",
        "en-a-bbb-x-a-ccc",
        "EN-us",
        "und",
        "fil",
        "zh-yue-HK",
    ],
)
def test_data_4_2_rfc_5646_tags_accepted(tag):
    assert is_language_tag(tag)


@pytest.mark.parametrize(
    "tag",
    ["", "e", "en_US", "a12345", "de-419-DE", "en-", "-en", "en--US", "123", "en-US-x", "x"],
)
def test_data_2_2_s4_b2_invalid_language_tags_rejected(tag):
    assert not is_language_tag(tag)


def test_data_4_2_language_map_key_path():
    with pytest.raises(XAPIValidationError) as caught:
        check_language_map({"en": "ok", "EN_gb": "bad"}, "statement.verb.display")
    assert caught.value.path == "statement.verb.display['EN_gb']"


@pytest.mark.parametrize(
    "duration",
    [
        "PT4H35M59.14S",
        "PT16559.14S",
        "P3Y1M29DT4H35M59.14S",
        "P3Y",
        "P4W",
        "PT1H0M0.1S",
        "PT1234S",
        "P1D",
        "PT0S",
        "P0.5Y",
        "PT1,5S",
        "P1DT12H",
    ],
)
def test_data_4_6_iso_8601_durations_accepted(duration):
    assert check_duration(duration, "d") == duration


@pytest.mark.parametrize(
    "duration",
    [
        "PA1H0M0S",
        "P4W1D",
        "P",
        "PT",
        "P1DT",
        "P0003-01-29T04:35:59",
        "PT1.5H30M",
        "P16559.14S",
        "4H",
        "pt1h",
        "-PT1H",
        "PT1H ",
    ],
)
def test_data_4_6_s1_b1_invalid_durations_rejected(duration):
    with pytest.raises(XAPIValidationError):
        check_duration(duration, "d")
