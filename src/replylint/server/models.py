"""The server's API models (request and response bodies) and a draft's result as JSON.

Kept apart from the app so that the worker processes (pool.py) turn a report into its JSON
without importing FastAPI's app machinery.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..__about__ import __version__
from ..channels import ChannelSetting
from ..models import (
    JSON_SCHEMA_VERSION,
    Category,
    DraftReport,
    Examples,
    Finding,
    Profile,
    Severity,
    Source,
    Suggestion,
)

# --------------------------------------------------------------------------------------------
# API models
# --------------------------------------------------------------------------------------------


_CHANNEL = (
    "The channel the reply is written for: `email`, `chat`, `social`, `macro`, `thread`, or "
    "`auto` (from "
    "the draft's shape: @handles: social; a helpdesk placeholder: macro; else email). Default: "
    "the server configuration's `channel` (`auto` unless set). It decides which rules apply "
    "and how long a rewrite may be; the answer's `channel` says which one was used."
)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckRequest(_Request):
    text: str = Field(description="The reply draft.")
    customer: str | None = Field(
        default=None,
        description="The customer's message the draft replies to; rewrites then use its words.",
    )
    channel: ChannelSetting | None = Field(
        default=None,
        description=_CHANNEL,
    )
    select: list[str] = Field(
        default=[], description="Rule ids to run (default: every rule; `ALL` selects every rule)."
    )
    ignore: list[str] = Field(default=[], description="Rule ids not to run.")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Nope. It's our policy.",
                    "customer": "Can I return my opened kettle?",
                    "select": [],
                    "ignore": ["missing-greeting"],
                }
            ]
        },
    )


class BatchDraft(_Request):
    text: str = Field(description="The reply draft.")
    customer: str | None = Field(default=None, description="The customer's message, if any.")
    channel: ChannelSetting | None = Field(
        default=None, description="This draft's channel (default: the request's)."
    )


class BatchRequest(_Request):
    drafts: list[BatchDraft] = Field(description="The drafts, linted in one batch.")
    channel: ChannelSetting | None = Field(default=None, description=_CHANNEL)
    select: list[str] = Field(default=[], description="Rule ids to run for every draft.")
    ignore: list[str] = Field(default=[], description="Rule ids not to run.")


_CP = "Offset into the draft text in Unicode code points (a Python string index)."
_JS = "Offset into the draft text in UTF-16 code units (a JavaScript string index)."


class ApiSuggestion(Suggestion):
    """A suggestion as in the CLI's JSON (the same model), plus its offsets into the draft."""

    start: int = Field(description=_CP)
    end: int = Field(description=_CP + " Exclusive; an insertion has start == end.")
    js_start: int = Field(description=_JS)
    js_end: int = Field(description=_JS + " Exclusive.")


class ApiFinding(Finding):
    """A finding as in the CLI's JSON (the same model), plus its offsets into the draft."""

    suggestions: list[ApiSuggestion] = Field(default_factory=list)  # type: ignore[assignment]
    start: int = Field(description=_CP)
    end: int = Field(description=_CP + " Exclusive.")
    js_start: int = Field(description=_JS)
    js_end: int = Field(description=_JS + " Exclusive.")


class DraftResult(BaseModel):
    channel: str = Field(description="The channel the draft was linted for.")
    findings: list[ApiFinding]
    rewritten: str = Field(description="The draft with every finding's first suggestion applied.")
    profile: Profile | None = Field(
        description="The empathy moves the draft makes and lacks (schema 1.1)."
    )


class DraftError(BaseModel):
    """A draft of a batch that was not linted; the batch's other drafts are answered."""

    error: str = Field(description="Why, in one line.")
    type: Literal["too_long", "timeout", "busy", "lint_failed"] = Field(
        description="`too_long`: over the server's per-draft limit; `timeout`: not linted "
        "within the request's time budget; `busy`: no worker was free in time (retry); "
        "`lint_failed`: the linter failed on this draft (the server logged why)."
    )


class CheckResponse(BaseModel):
    version: str = Field(default=JSON_SCHEMA_VERSION, description="The JSON schema version.")
    channel: str = Field(description="The channel the draft was linted for.")
    findings: list[ApiFinding]
    rewritten: str = Field(description="The draft with every finding's first suggestion applied.")
    profile: Profile | None = Field(
        description="The empathy moves the draft makes and lacks (schema 1.1)."
    )
    pipeline: str = Field(description="The spaCy pipeline that parsed the draft.")
    elapsed_ms: float = Field(description="Time spent linting, in milliseconds.")


class BatchResponse(BaseModel):
    version: str = JSON_SCHEMA_VERSION
    results: list[DraftResult | DraftError] = Field(
        description="One result per draft, in request order: its findings, or why it was not "
        "linted."
    )
    pipeline: str
    elapsed_ms: float


class RuleSummary(BaseModel):
    id: str
    name: str
    category: Category
    severity: Severity
    summary: str
    why: str
    message: str
    source: list[Source]


class RuleDetail(RuleSummary):
    explain: str = Field(description="The text of `replylint explain RULE`.")
    examples: Examples


class RulesResponse(BaseModel):
    version: str = JSON_SCHEMA_VERSION
    rules: list[RuleSummary]


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    replylint: str = __version__


class ReadyResponse(BaseModel):
    ready: bool
    replylint: str = __version__
    pipeline: str | None = Field(default=None, description="e.g. en_core_web_sm")
    pipeline_version: str | None = Field(default=None, description="e.g. 3.8.0")
    rules: int | None = Field(default=None, description="How many rules the base Linter runs.")
    error: str | None = Field(default=None, description="Why the pipeline failed to load.")


class ErrorDetail(BaseModel):
    field: str = Field(description="The offending field, dotted (`drafts.0.text`), or `body`.")
    message: str
    type: str


class ErrorResponse(BaseModel):
    error: str = Field(description="What went wrong, in one line.")
    detail: list[ErrorDetail] | None = None


class _Utf16:
    """Converts code-point offsets into one text to UTF-16 code units (JavaScript indices)."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)


def result_json(report: DraftReport) -> dict[str, Any]:
    """A draft's :class:`DraftResult` as JSON: the CLI's finding schema plus the offsets."""
    js = _Utf16(report.text)
    findings = []
    for f in report.findings:
        data = f.model_dump(mode="json")  # exactly the CLI's JSON schema …
        data["suggestions"] = [
            {**s.model_dump(mode="json"), "start": s.start, "end": s.end}
            | {"js_start": js(s.start), "js_end": js(s.end)}
            for s in f.suggestions
        ]
        # … plus the offsets
        data |= {"start": f.start, "end": f.end, "js_start": js(f.start), "js_end": js(f.end)}
        findings.append(data)
    profile = None if report.profile is None else report.profile.model_dump(mode="json")
    return {
        "channel": report.channel,
        "findings": findings,
        "rewritten": report.rewritten(),
        "profile": profile,
    }
