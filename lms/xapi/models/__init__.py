"""The LRS's tables: clients (credentials and scopes) and statements stored for queries."""

from .clients import LRSClient
from .statements import (
    Activity,
    Statement,
    StatementActivity,
    StatementAgent,
    StatementAttachment,
    StatementClock,
    StatementRefTarget,
)

__all__ = [
    "Activity",
    "LRSClient",
    "Statement",
    "StatementActivity",
    "StatementAgent",
    "StatementAttachment",
    "StatementClock",
    "StatementRefTarget",
]
