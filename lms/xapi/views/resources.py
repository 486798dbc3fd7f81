"""The Activities (Communication 2.5) and About (2.7) resources."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .. import scopes
from ..protocol import XAPIError, _finish, json_response, xapi_view
from ..selectors import activity_get
from ..spec import SUPPORTED
from ..spec.primitives import check_iri
from ..spec.versions import HEADER as VERSION_HEADER
from ..spec.versions import is_v2, version_answered


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
        return json_response(activity_unknown(activity_id, request.xapi_version))
    data = {"objectType": "Activity", "id": activity.activity_id}
    if activity.definition:
        data["definition"] = activity.definition
    return json_response(data)


def activity_unknown(activity_id: str, version: str) -> dict:
    """9274.1.1 Communication 2.5 (2.0): an Activity the LRS does not know is answered 200
    with an Activity Object holding only that id. xAPI 1.0.3 says nothing; this LRS keeps
    its 1.0.x answer, 404."""
    if not is_v2(version):
        raise XAPIError(404, f"activityId: no activity {activity_id} is known here")
    return {"objectType": "Activity", "id": activity_id}


def about_versions(request: HttpRequest) -> list[str]:
    """Communication 2.7 (2.8 in 2.0): every version this LRS speaks, 2.0.0 and 1.0.x,
    to a request without a version header or in 2.0. A request in 1.0.x gets the 1.0.x
    versions: 1.0.x clients such as TinCanPython refuse an About listing a version they
    do not know, and a 1.0.x client can only use those."""
    header = request.headers.get(VERSION_HEADER)
    if header and not is_v2(version_answered(header)):
        return [version for version in SUPPORTED if not is_v2(version)]
    return list(SUPPORTED)


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
        response = json_response({"version": about_versions(request), "extensions": {}})
    version = version_answered(request.headers.get(VERSION_HEADER))
    return _finish(request, response, version=version, head=request.method == "HEAD")
