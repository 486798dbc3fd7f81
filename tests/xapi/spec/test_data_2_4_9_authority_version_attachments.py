"""Data 2.4.9 Authority, 2.4.10 Version, 2.4.11 Attachments and 2.6 Signed Statements."""

import pytest

from lms.xapi.spec import validate_statement

OAUTH_APP = {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_x75db"}}
SHA256 = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def _attachment(**overrides):
    attachment = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "description": {"en-US": "A test attachment (description)"},
        "contentType": "text/plain; charset=ascii",
        "length": 27,
        "sha2": SHA256,
    }
    attachment.update(overrides)
    return attachment


def test_data_2_4_9_authority_agent_is_valid(statement):
    statement["authority"] = {
        "objectType": "Agent",
        "account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"},
    }
    validate_statement(statement)


def test_data_2_4_9_s8_oauth_group_of_two_agents_is_valid(statement):
    statement["authority"] = {
        "objectType": "Group",
        "member": [OAUTH_APP, {"mbox": "mailto:bob@example.com"}],
    }
    validate_statement(statement)


@pytest.mark.parametrize("count", [1, 3])
def test_data_2_4_9_s3_b1_authority_group_must_have_two_agents(statement, reject, count):
    members = [OAUTH_APP, {"mbox": "mailto:bob@example.com"}, {"mbox": "mailto:c@example.com"}]
    statement["authority"] = {"objectType": "Group", "member": members[:count]}
    reject(statement, "statement.authority.member", says="exactly two")


def test_data_2_4_9_s3_b1_authority_group_must_be_anonymous(statement, reject):
    statement["authority"] = {
        "objectType": "Group",
        "openid": "http://openid.example.org/12345",
        "member": [OAUTH_APP, {"mbox": "mailto:bob@example.com"}],
    }
    reject(statement, "statement.authority.openid", says="must not have an identifier")


def test_data_2_4_9_authority_must_be_valid_agent(statement, reject):
    statement["authority"] = {"account": {"homePage": "http://example.com", "name": {}}}
    reject(statement, "statement.authority.account.name", says="string")


@pytest.mark.parametrize("version", ["1.0.0", "1.0.3", "1.0.9", "1.0.12"])
def test_data_2_4_10_s3_b1_versions_starting_1_0_accepted(statement, version):
    statement["version"] = version
    validate_statement(statement)


@pytest.mark.parametrize("version", ["0.95", "1.1.0", "2.0.0", "1.0.", "v1.0.0", "1.0.x"])
def test_data_2_4_10_s3_b2_other_versions_rejected(statement, reject, version):
    statement["version"] = version
    reject(statement, "statement.version", says="starting with '1.0.'")


def test_data_2_4_10_version_must_be_string(statement, reject):
    statement["version"] = 1.0
    reject(statement, "statement.version", says="must be a string")


def test_data_2_4_11_attachment_is_valid(statement):
    statement["attachments"] = [
        _attachment(),
        _attachment(fileUrl="http://over.there.com/file.txt", display={"en-US": "a", "de": "b"}),
    ]
    validate_statement(statement)


@pytest.mark.parametrize("key", ["usageType", "display", "contentType", "length", "sha2"])
def test_data_2_4_11_s2_attachment_required_properties(statement, reject, key):
    attachment = _attachment()
    del attachment[key]
    statement["attachments"] = [attachment]
    reject(statement, f"statement.attachments[0].{key}", says="is required")


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("usageType", "test", "absolute IRI"),
        ("display", "A test attachment", "must be an object"),
        ("display", {}, "at least one entry"),
        ("description", {}, "at least one entry"),
        ("contentType", "text", "Internet Media Type"),
        ("contentType", 5, "string"),
        ("length", "27", "integer"),
        ("length", 27.5, "integer"),
        ("length", -1, "negative"),
        ("sha2", "not-a-hash", "SHA-2"),
        ("sha2", SHA256[:40], "SHA-2"),
        ("fileUrl", "file.txt", "IRL"),
    ],
)
def test_data_2_4_11_s2_attachment_property_types(statement, reject, key, value, says):
    statement["attachments"] = [_attachment(**{key: value})]
    reject(statement, f"statement.attachments[0].{key}", says=says)


def test_data_2_4_11_attachment_language_map_tags_checked(statement, reject):
    statement["attachments"] = [_attachment(display={"en-US": "a", "de-419-DE": "b"})]
    reject(statement, "statement.attachments[0].display['de-419-DE']", says="RFC 5646")


def test_data_2_4_11_attachments_must_be_array(statement, reject):
    statement["attachments"] = _attachment()
    reject(statement, "statement.attachments", says="must be an array")


def test_data_2_4_11_attachment_unknown_property_rejected(statement, reject):
    statement["attachments"] = [_attachment(size=27)]
    reject(statement, "statement.attachments[0].size", says="not a property")


def test_data_2_6_s4_b1_signature_attachment_is_octet_stream(statement):
    statement["attachments"] = [
        _attachment(usageType=SIGNATURE, contentType="application/octet-stream")
    ]
    validate_statement(statement)


def test_data_2_6_s4_b1_signature_attachment_other_content_type_rejected(statement, reject):
    statement["attachments"] = [_attachment(usageType=SIGNATURE, contentType="application/json")]
    reject(statement, "statement.attachments[0].contentType", says="octet-stream")
