"""The Content-Security-Policy on every response: this site only, nothing inline, no framing
except Wagtail's preview by the editor on this same site."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from lms.core.csp import CSPMiddleware

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize(
    "path", ["/fr/accounts/login/", "/admin/login/", "/xapi/about", "/fr/nowhere/"]
)
def test_every_answer_carries_the_policy(client, path):
    response = client.get(path)
    directives = _directives(response["Content-Security-Policy"])
    assert {name: directives.get(name) for name in POLICY} == POLICY
    assert response["X-Frame-Options"] == "DENY"


def test_a_page_for_staff_carries_it_too(client, make_user):
    from tests.factories import totp_enable

    user = make_user(role="administrator")
    totp_enable(user)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"])["frame-ancestors"] == "'none'"


def test_a_view_that_allows_framing_by_this_site_gets_frame_ancestors_self():
    def preview(request):
        response = HttpResponse("<p>preview</p>")
        response["X-Frame-Options"] = "SAMEORIGIN"  # what Wagtail's preview views say
        return response

    middleware = CSPMiddleware(preview)
    request = RequestFactory().get("/admin/pages/3/edit/preview/")
    response = middleware(request)
    directives = _directives(response["Content-Security-Policy"])
    assert directives["frame-ancestors"] == "'self'"
    assert directives["script-src"] == "'self'"
