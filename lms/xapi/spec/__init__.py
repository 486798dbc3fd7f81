"""xAPI 1.0.3 rules as pure functions on plain JSON data (no Django, no ORM).

Validation (Data 2.x), statement comparison (Data 2.3.1.s9), GET formats and filter keys
(Communication 2.1.3) and version negotiation (Communication 3.3).
"""

from .comparison import statements_equivalent
from .errors import XAPIValidationError
from .formatting import FORMATS, language_choose, parse_accept_language, statement_format
from .identity import (
    agent_ifi_key,
    statement_activity_id,
    statement_agent_keys,
    statement_related_activities,
    statement_related_agents,
)
from .validation import validate_statement, validate_statements
from .versions import SUPPORTED, statement_version_supported, version_negotiate

__all__ = [
    "FORMATS",
    "SUPPORTED",
    "XAPIValidationError",
    "agent_ifi_key",
    "language_choose",
    "parse_accept_language",
    "statement_activity_id",
    "statement_agent_keys",
    "statement_format",
    "statement_related_activities",
    "statement_related_agents",
    "statement_version_supported",
    "statements_equivalent",
    "validate_statement",
    "validate_statements",
    "version_negotiate",
]
