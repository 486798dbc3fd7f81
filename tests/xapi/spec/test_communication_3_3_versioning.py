"""Communication 3.3 Versioning."""

import pytest

from lms.xapi.spec import SUPPORTED, XAPIValidationError, version_negotiate
from lms.xapi.spec.versions import LATEST, statement_version_supported


def test_communication_3_3_supported_versions():
    assert SUPPORTED == ("2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0")
    assert LATEST == "2.0.0"


@pytest.mark.parametrize("header", ["1.0.3", "1.0.2", "1.0.1", "1.0.0", " 1.0.3 "])
def test_communication_3_3_s3_b2_answers_with_latest_patch(header):
    assert version_negotiate(header) == "1.0.3"


def test_communication_3_3_s3_b3_bare_1_0_accepted_as_1_0_0():
    assert version_negotiate("1.0") == "1.0.3"


@pytest.mark.parametrize("header", ["1.0.4", "1.0.99"])
def test_communication_3_3_s3_b5_any_1_0_x_accepted(header):
    assert version_negotiate(header) == "1.0.3"


@pytest.mark.parametrize("header", [None, "", "   "])
def test_communication_3_3_s4_b1_missing_header_rejected(header):
    with pytest.raises(XAPIValidationError) as caught:
        version_negotiate(header)
    assert caught.value.path == "X-Experience-API-Version"
    assert "missing" in caught.value.message


@pytest.mark.parametrize("header", ["0.9", "0.95", "0.95.0"])
def test_communication_3_3_s3_b4_versions_before_1_0_0_rejected(header):
    with pytest.raises(XAPIValidationError, match="not supported"):
        version_negotiate(header)


@pytest.mark.parametrize("header", ["1.1.0", "1.1", "2.1.0", "10.0.0"])
def test_communication_3_3_s3_b6_version_1_1_0_or_greater_rejected(header):
    with pytest.raises(XAPIValidationError, match="not supported"):
        version_negotiate(header)


@pytest.mark.parametrize("header", ["1", "v1.0.3", "1.0.3.1", "latest", "1.0.03"])
def test_communication_3_3_s3_b7_malformed_header_rejected(header):
    with pytest.raises(XAPIValidationError, match="must be a version"):
        version_negotiate(header)


@pytest.mark.parametrize(
    ("version", "ok"), [("1.0.0", True), ("1.0.7", True), ("1.1.0", False), ("1.0", True)]
)
def test_data_2_4_10_statement_version_supported(version, ok):
    assert statement_version_supported(version) is ok
