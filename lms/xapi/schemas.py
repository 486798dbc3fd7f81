"""Strict pydantic models of the statements the platform itself emits.

"Accept loosely, emit strictly" (STYLE.md): the LRS accepts any valid statement, but what
the platform writes has one shape, checked here before the spec validator sees it. No
ORM, no settings: callers pass the site URL.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class AccountSchema(_Strict):
    homePage: str
    name: str


class AgentSchema(_Strict):
    objectType: Literal["Agent"] = "Agent"
    account: AccountSchema


class VerbSchema(_Strict):
    id: str
    display: dict[str, str]


class InteractionComponentSchema(_Strict):
    id: str
    description: dict[str, str]


class DefinitionSchema(_Strict):
    name: dict[str, str]
    description: dict[str, str] | None = None
    type: str
    interactionType: str | None = None
    correctResponsesPattern: list[str] | None = None
    choices: list[InteractionComponentSchema] | None = None


class ActivitySchema(_Strict):
    objectType: Literal["Activity"] = "Activity"
    id: str
    definition: DefinitionSchema


class StatementRefSchema(_Strict):
    objectType: Literal["StatementRef"] = "StatementRef"
    id: str


class ScoreSchema(_Strict):
    scaled: float | None = Field(default=None, ge=-1, le=1)
    raw: float | None = None
    min: float | None = None
    max: float | None = None


class ResultSchema(_Strict):
    score: ScoreSchema | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: str | None = None


class ContextActivitiesSchema(_Strict):
    parent: list[ActivitySchema] | None = None
    grouping: list[ActivitySchema] | None = None


class ContextSchema(_Strict):
    registration: str | None = None
    instructor: AgentSchema | None = None
    contextActivities: ContextActivitiesSchema | None = None
    platform: str | None = None
    language: str | None = None
    extensions: dict[str, Any] | None = None


class StatementSchema(_Strict):
    id: str
    actor: AgentSchema
    verb: VerbSchema
    object: ActivitySchema | StatementRefSchema
    result: ResultSchema | None = None
    context: ContextSchema | None = None
    timestamp: str
    version: Literal["1.0.3"] = "1.0.3"

    def to_json(self) -> dict:
        """The statement as xAPI JSON: unset optional properties are left out."""
        return self.model_dump(mode="json", exclude_none=True)
