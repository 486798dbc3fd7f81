"""The one exception the xAPI spec core raises.

The LRS turns it into ``400 Bad Request``; ``path`` says where in the submitted JSON the
problem is, so a client can fix it without guessing.
"""

from __future__ import annotations


class XAPIValidationError(ValueError):
    """A value does not follow xAPI 1.0.3.

    ``message`` says what is wrong in plain English; ``path`` names the offending property,
    e.g. ``statement[3].context.registration``.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self):  # keep pickling (e.g. for task queues) working with two arguments
        return (type(self), (self.message, self.path))
