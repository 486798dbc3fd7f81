"""Communication 1.3 (alternate request syntax), 3.2 (errors), 3.3 (version header),
CORS, HEAD and the body limit."""

import json
import urllib.parse

import pytest

from lms.xapi.models import Statement
from tests.xapi.conftest import basic, statement


@pytest.mark.django_db
def test_communication_3_3_missing_version_is_400_with_the_header_on_the_error(xapi):
    xapi.version = None
    response = xapi.get("/xapi/statements")
    assert response.status_code == 400
    # Nothing negotiated: the answer carries the latest version this LRS speaks.
    assert response["X-Experience-API-Version"] == "2.0.0"
    assert response.json()["error"]["message"].startswith("X-Experience-API-Version: is missing")


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["0.95", "1.1.0", "2.1.0", "3.0.0", "banana"])
def test_communication_3_3_unsupported_versions_are_400(xapi, version):
    xapi.version = version
    response = xapi.post("/xapi/statements", statement())
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.1", "1.0.3"])
def test_communication_3_3_answers_with_the_latest_patch_of_the_asked_line(xapi, version):
    xapi.version = version
    response = xapi.get("/xapi/statements")
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.django_db
def test_communication_3_2_malformed_json_is_400_and_nothing_is_stored(xapi):
    response = xapi.post("/xapi/statements", b'{"actor": ')
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("the body is not valid JSON")
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_communication_1_5_wrong_content_type_is_400(xapi):
    response = xapi.post("/xapi/statements", json.dumps(statement()), content_type="text/plain")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "message": "Content-Type: statements must be sent as application/json or "
            "multipart/mixed, got 'text/plain'",
        }
    }


@pytest.mark.django_db
def test_communication_3_2_oversized_body_is_413(xapi, settings):
    settings.XAPI_MAX_BODY_BYTES = 1000
    batch = [statement() for _ in range(20)]
    response = xapi.post("/xapi/statements", batch)
    assert response.status_code == 413
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert Statement.objects.count() == 0


@pytest.mark.django_db
def test_communication_3_2_validation_error_names_the_property(xapi):
    response = xapi.post("/xapi/statements", statement(verb={"id": "not an iri"}))
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("statement.verb.id: ")


@pytest.mark.django_db
def test_communication_3_2_unknown_parameter_is_400(xapi):
    response = xapi.get("/xapi/statements", {"colour": "blue"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "colour: unknown parameter for this request"


@pytest.mark.django_db
def test_cors_preflight_allows_xapi_headers_without_credentials(client):
    response = client.options(
        "/xapi/statements",
        headers={"Origin": "https://content.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = response["Access-Control-Allow-Headers"]
    for header in ("Authorization", "X-Experience-API-Version", "Content-Type", "If-Match"):
        assert header in allowed
    assert "X-Experience-API-Consistent-Through" in response["Access-Control-Expose-Headers"]
    assert "POST" in response["Access-Control-Allow-Methods"]


@pytest.mark.django_db
def test_head_answers_like_get_without_a_body(xapi):
    xapi.post("/xapi/statements", statement())
    response = xapi.head("/xapi/statements")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) > 0
    assert "X-Experience-API-Consistent-Through" in response


@pytest.mark.django_db
def test_method_not_allowed_is_405(xapi):
    response = xapi.client.delete("/xapi/statements", headers=xapi.headers())
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, PUT"


# -- Communication 1.3 alternate request syntax ------------------------------------------


def _form(xapi, method, fields, query_extra=""):
    return xapi.client.post(
        f"/xapi/statements?method={method}{query_extra}",
        urllib.parse.urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.mark.django_db
def test_communication_1_3_alternate_put_with_headers_and_content_in_the_form(xapi, lrs_client):
    statement_id = "a1b2c3d4-0000-4000-8000-000000000001"
    response = _form(
        xapi,
        "PUT",
        {
            "statementId": statement_id,
            "content": json.dumps(statement()),
            "Content-Type": "application/json",
            "Authorization": basic(lrs_client),
            "X-Experience-API-Version": "1.0.3",
        },
    )
    assert response.status_code == 204
    assert str(Statement.objects.get().statement_id) == statement_id


@pytest.mark.django_db
def test_communication_1_3_alternate_get(xapi, lrs_client):
    xapi.post("/xapi/statements", statement())
    response = _form(
        xapi,
        "GET",
        {"limit": "1", "Authorization": basic(lrs_client), "X-Experience-API-Version": "1.0.3"},
    )
    assert response.status_code == 200
    assert len(response.json()["statements"]) == 1


@pytest.mark.django_db
def test_communication_1_3_other_query_parameters_are_400(xapi, lrs_client):
    response = _form(
        xapi,
        "GET",
        {"Authorization": basic(lrs_client), "X-Experience-API-Version": "1.0.3"},
        query_extra="&limit=1",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("limit: with the alternate")


@pytest.mark.django_db
def test_communication_1_3_unknown_method_is_400(xapi, lrs_client):
    response = _form(
        xapi, "PATCH", {"Authorization": basic(lrs_client), "X-Experience-API-Version": "1.0.3"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "method: must be one of GET, PUT, POST, DELETE, got 'PATCH'"
    )


@pytest.mark.django_db
def test_about_needs_neither_credentials_nor_version(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.json() == {
        "version": ["2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0"],
        "extensions": {},
    }
    assert response["X-Experience-API-Version"] == "2.0.0"
