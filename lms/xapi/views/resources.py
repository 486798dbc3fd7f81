"""The Activities (Communication 2.5) and About (2.7) resources."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .. import scopes
from ..protocol import XAPIError, _finish, json_response, xapi_view
from ..selectors import activity_get
from ..spec import SUPPORTED
from ..spec.primitives import check_iri
from ..spec.versions import LATEST


@xapi_view(
    read_scopes=frozenset(scopes.ALL_SCOPES),
    write_scopes=frozenset(),
    methods=frozenset({"GET"}),
)
def activities(request: HttpRequest) -> HttpResponse:
    """GET ?activityId=: the canonical definition the LRS holds."""
    params = request.xapi_params
    extra = sorted(set(params) - {"activityId"})
    if extra:
        raise XAPIError(400, f"{extra[0]}: unknown parameter for this request")
    if "activityId" not in params:
        raise XAPIError(400, "activityId: this parameter is required")
    activity_id = check_iri(params["activityId"], "activityId")
    activity = activity_get(activity_id=activity_id)
    if activity is None:
        raise XAPIError(404, f"activityId: no activity {activity_id} is known here")
    data = {"objectType": "Activity", "id": activity.activity_id}
    if activity.definition:
        data["definition"] = activity.definition
    return json_response(data)


def about(request: HttpRequest) -> HttpResponse:
    """Communication 2.7 About: the versions this LRS speaks, open to anyone and without
    a version header, since a client asks it to learn which version to send."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        response = json_response(
            {"error": {"status": 405, "message": f"method {request.method} is not allowed"}},
            status=405,
        )
        response["Allow"] = "GET, HEAD"
    elif request.method == "OPTIONS":
        response = HttpResponse(status=200)
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    else:
        response = json_response({"version": list(SUPPORTED), "extensions": {}})
    return _finish(request, response, version=LATEST, head=request.method == "HEAD")
