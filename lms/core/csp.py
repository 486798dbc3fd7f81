"""The Content-Security-Policy of every response (django-csp), with one exception for framing.

The policy (``CONTENT_SECURITY_POLICY`` in settings) allows this site only: no inline script
or style, no frame around our pages. Wagtail's preview is the one page meant to sit in a
frame, inside the editor on this same site; the views that say so with
``X-Frame-Options: SAMEORIGIN`` get ``frame-ancestors 'self'`` instead of ``'none'``.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware as BaseCSPMiddleware


class CSPMiddleware(BaseCSPMiddleware):
    """Placed after ``XFrameOptionsMiddleware`` so that it sees only what the view set."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
