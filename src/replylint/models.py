"""The one vocabulary of replylint.

Every shape that crosses a boundary is a pydantic model defined here: the rules as loaded from
YAML, the findings and suggestions every formatter, the API and the fixer consume, and the
reports. Importing this module never imports spaCy.

Longer than 400 lines because most of it is field descriptions that become the rule schema,
kept whole so that one file shows every shape.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

# "1.1": files[].drafts[] (each draft's empathy profile), DraftReport's "profile"; additions
# only, so a reader of "1" reads "1.1" as it did
JSON_SCHEMA_VERSION = "1.1"
SLOT_RE = re.compile(r"<[a-z][^<>]*>")


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Category(StrEnum):
    REFUSAL = "refusal"
    ACKNOWLEDGE = "acknowledge"
    FOCUS = "focus"
    OWNERSHIP = "ownership"
    UNDERSTANDING = "understanding"
    TONE = "tone"
    CLARITY = "clarity"
    SUPPRESSION = "suppression"  # unused-suppression: a comment that suppresses nothing
    # not-english, not-prose: the draft is not what the other rules judge (English prose)
    SCOPE = "scope"


class Applicability(StrEnum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"

    @property
    def words(self) -> str:
        """What it means for the agent, as the text output, the fix summary and the playground
        say it: safe to apply, review before sending (unsafe), fill in the blanks (slots)."""
        return _APPLICABILITY_WORDS[self.value]


_APPLICABILITY_WORDS = {
    "safe": "safe to apply",
    "unsafe": "review before sending",
    "display-only": "fill in the blanks",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------------------------
# Rules (data in rules/*.yaml)
# --------------------------------------------------------------------------------------------


class Source(_Strict):
    """The seed article and heading a rule enforces."""

    file: str = Field(
        description="the seed article the rule enforces: a file name in replylint's seeds/ "
        "folder (a user's rule may name its own source)"
    )
    heading: str = Field(
        description="the heading of the passage in that article (quoted by `replylint explain`)"
    )


class MatchSpec(_Strict):
    """What matches: phrases, spaCy token patterns, sentence regexes, shared signals, rules.

    ``phrases`` use a small alternation syntax expanded at load time: ``(a|b|)`` picks one of the
    alternatives (an empty one makes the group optional). They are matched case-insensitively
    on whole tokens, with ’ and ' treated alike.
    """

    phrases: list[str] = Field(
        default=[],
        description="phrases matched case-insensitively on whole tokens; `(a|b|)` picks one "
        "alternative (an empty one makes the group optional): \"(it's|that's) (our|) policy\"",
    )
    patterns: list[list[dict[str, Any]]] = Field(
        default=[],
        description="spaCy Matcher token patterns: each a list of token specs such as "
        '{"LOWER": "policy"} or {"POS": "VERB", "OP": "?"}',
    )
    regex: list[str] = Field(
        default=[], description="Python regular expressions, searched in each sentence"
    )
    signals: list[str] = Field(
        default=[], description="names of shared signals (rules/_signals.yaml) that match here"
    )
    customer_signals: list[str] = Field(
        default=[], description="signals that count when found in the customer's message"
    )
    rules: list[str] = Field(default=[], description="rule ids whose matches count as matches here")
    checks: list[str] = Field(
        default=[],
        description="built-in detectors (replylint.checks.DETECTORS) whose hits count as matches "
        "here, for what words alone cannot say: restates-issue (the reply says the customer's "
        "issue back in its own words)",
    )

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
        return value

    def is_empty(self) -> bool:
        return not (
            self.phrases
            or self.patterns
            or self.regex
            or self.signals
            or self.customer_signals
            or self.rules
            or self.checks
        )


Window = Literal["overlap", "sentence", "sentence+next", "sentence+previous", "document"]


class Unless(MatchSpec):
    """Excuses a match when one of its patterns occurs in the window around it."""

    window: Window = Field(
        default="sentence",
        description="where the excusing pattern is looked for, around the match: the match "
        "itself, its sentence, its sentence and the next or previous one, or the whole draft",
    )


class Signal(_Strict):
    """A shared notion (problem signal, refusal, acknowledgement …) several rules rely on."""

    description: str = Field(description="what the signal means, for people")
    match: MatchSpec = Field(description="what the signal matches")
    unless: list[Unless] = Field(default=[], description="patterns that excuse a match")


class RewriteSpec(_Strict):
    """How a rule proposes a fix: a named builder (``replylint/rewrite/``) or a fixed
    template."""

    builder: str | None = Field(
        default=None,
        description="the name of a rewrite builder in replylint (it builds the fix from the "
        "parse and the draft's own words); give this or `template`",
    )
    template: str | None = Field(
        default=None,
        description="fixed replacement text; `<slots>` in it are for the writer to fill (and "
        "make the suggestion display-only); give this or `builder`",
    )
    mode: Literal["replace", "replace-sentence", "append", "adverbial"] = Field(
        default="replace",
        description="templates: replace the match, replace its sentence, or insert after it; "
        "`adverbial`: replace the match, but one between an auxiliary and its verb ('will soon "
        "have an update') goes to the end of its clause ('will have an update by <day/time>')",
    )
    when: str | None = Field(
        default=None,
        description="`replace-sentence` and `replace` templates: a regular expression the "
        "replaced sentence (or, for `replace`, the match) must contain (case-insensitive); where "
        "it does not, the template would say what the draft does not (a hand-off that was never "
        "made, a no that was a closing line) and no suggestion is offered",
    )
    unless: str | None = Field(
        default=None,
        description="`append` and `adverbial` templates: a regular expression "
        "(case-insensitive); where it is found (append: in the matched sentence or a later one, "
        "the draft already says what the template would add; adverbial: in the matched "
        "sentence, it says no time could be filled in) no suggestion is offered",
    )
    description: str = Field(description="what the suggestion does, shown with it")
    applicability: Applicability = Field(
        default=Applicability.UNSAFE,
        description="safe (meaning cannot change: `replylint fix` applies it), unsafe (review "
        "it: `fix --unsafe`) or display-only (shown, never applied)",
    )

    @model_validator(mode="after")
    def _one_of(self) -> RewriteSpec:
        if (self.builder is None) == (self.template is None):
            raise ValueError("give exactly one of 'builder' or 'template'")
        return self


class Example(_Strict):
    """A draft the rule must flag (``fail``) or must leave alone (``pass``); the tests run
    every one."""

    text: str = Field(description="the reply draft")
    customer: str | None = Field(
        default=None, description="the customer's message the draft replies to, if it matters"
    )
    expect: str | None = Field(
        default=None, description="for failing examples: the excerpt the finding must have"
    )
    rewrite: str | None = Field(
        default=None, description="for failing examples: the draft with the rule's fixes applied"
    )


class Examples(_Strict):
    """Drafts the rule must flag and drafts it must not: each a string or an example."""

    fail: list[Example] = Field(
        min_length=1, description="drafts the rule must flag (at least one)"
    )
    pass_: list[Example] = Field(
        alias="pass", min_length=1, description="drafts the rule must not flag (at least one)"
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("fail", "pass_", mode="before")
    @classmethod
    def _strings_are_examples(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": item} if isinstance(item, str) else item for item in value]
        return value


RuleKind = Literal["existence", "absence", "check", "suppression", "gate"]
BUILT_IN_KINDS = ("suppression", "gate")  # made by replylint itself: no seed source needed


class Rule(_Strict):
    """One rule of the rule book, loaded from ``rules/<id>.yaml``."""

    id: str = Field(
        pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
        description="the rule id, lower-case words joined by dashes; must equal the file name "
        "(bare-policy.yaml has id bare-policy). Configuration, suppressions and every output "
        "use it",
    )
    name: str = Field(description="a short human name (Bare policy)")
    category: Category = Field(description="the family of empathy problem the rule belongs to")
    severity: Severity = Field(
        description="the default severity of its findings (configurable per rule)"
    )
    summary: str = Field(description="one sentence: what the rule flags (`replylint rules`)")
    why: str = Field(description="why it matters to the customer (`replylint explain`, SARIF)")
    source: list[Source] = Field(
        default=[],
        description="required (but for the built-in kinds suppression and gate): where the "
        "rule comes from, at least one seed article and the heading of the passage it enforces "
        "(quoted by `replylint explain`)",
    )
    message: str = Field(description="the message every finding of the rule carries")
    kind: RuleKind = Field(
        description="existence: fires where `match` matches (unless excused); absence: fires "
        "when `trigger` matches and `require` nowhere does; check: a named Python check; "
        "suppression: built in, made from the file's replylint comments (unused-suppression); "
        "gate: built in, judges whether the draft is English prose at all, before every other "
        "rule, and when it is not, reports it once and no other rule runs on it (not-english, "
        "not-prose)"
    )
    match: MatchSpec | None = Field(
        default=None, description="existence rules: what fires (required for them)"
    )
    unless: list[Unless] = Field(
        default=[], description="patterns that excuse a match when found in their window"
    )
    trigger: MatchSpec | None = Field(
        default=None, description="absence rules: what makes the rule apply (required for them)"
    )
    trigger_all: list[MatchSpec] = Field(
        default=[], description="absence rules: also triggered when every one of these matches"
    )
    require: MatchSpec | None = Field(
        default=None,
        description="absence rules: what the draft must contain once triggered (required)",
    )
    strong: MatchSpec | None = Field(
        default=None,
        description="absence rules: the evidence that keeps a finding at the rule's severity "
        "(a complaint in the customer's message, a refusal in the reply); a finding without it "
        "gets `weak_severity` instead. Omitted: every finding has the rule's severity",
    )
    weak_severity: Severity | Literal["off"] = Field(
        default=Severity.INFO,
        description="absence rules with `strong`: the severity of a finding without that "
        "evidence (below the rule's own), or `off`: no finding without it",
    )
    anchor: Literal["body-start", "first-trigger", "last-trigger"] = Field(
        default="body-start", description="absence rules: where the finding points"
    )
    min_words: int | None = Field(
        default=None, description="absence rules: fire only on drafts at least this long …"
    )
    or_customer: bool = Field(
        default=False, description="… or when the customer's message is given"
    )
    check: str | None = Field(
        default=None,
        description="check rules: the name of a check registered in replylint (required)",
    )
    once_per: Literal["match", "sentence"] = Field(
        default="match", description="report every match, or the first match of each sentence"
    )
    params: dict[str, Any] = Field(
        default={},
        description="the parameters of the rule's check and rewrite builder (word lists, "
        "limits); each takes its own, checked when the rule book loads",
    )
    rewrite: RewriteSpec | None = Field(
        default=None, description="how the rule proposes a fix for its findings"
    )
    examples: Examples = Field(
        description="required: drafts the rule must flag and must not flag, run by the tests"
    )

    @model_validator(mode="after")
    def _kind_fields(self) -> Rule:
        if self.kind == "existence" and (self.match is None or self.match.is_empty()):
            raise ValueError("an 'existence' rule needs a non-empty 'match'")
        if self.kind == "absence" and (self.trigger is None or self.require is None):
            raise ValueError("an 'absence' rule needs 'trigger' and 'require'")
        if self.strong is not None and self.kind != "absence":
            raise ValueError("only an 'absence' rule takes 'strong'")
        weak = self.weak_severity
        if self.strong is not None and weak != "off" and weak.rank >= self.severity.rank:
            raise ValueError("'weak_severity' must be below the rule's 'severity'")
        if self.kind == "check" and not self.check:
            raise ValueError("a 'check' rule needs 'check' (the name of a registered check)")
        if self.kind not in BUILT_IN_KINDS and not self.source:
            raise ValueError("a rule needs 'source': the seed article and heading it enforces")
        if self.kind == "gate":
            if not self.check:
                raise ValueError("a 'gate' rule needs 'check' (the name of a built-in gate)")
            extra = [
                name
                for name, value in (
                    ("match", self.match),
                    ("unless", self.unless),
                    ("trigger", self.trigger),
                    ("trigger_all", self.trigger_all),
                    ("require", self.require),
                    ("rewrite", self.rewrite),
                )
                if value
            ]
            if extra:
                raise ValueError(f"a 'gate' rule takes no {', '.join(map(repr, extra))}")
        return self


# --------------------------------------------------------------------------------------------
# Findings and reports
# --------------------------------------------------------------------------------------------


class Suggestion(BaseModel):
    """A proposed edit. Positions are 1-based, columns in code points, ends exclusive."""

    replacement: str
    line: int
    column: int
    end_line: int
    end_column: int
    description: str
    applicability: Applicability
    start: int = Field(exclude=True, description="offset into the draft text")
    end: int = Field(exclude=True, description="offset into the draft text (exclusive)")

    @property
    def has_slots(self) -> bool:
        return bool(SLOT_RE.search(self.replacement))


class Finding(BaseModel):
    """One problem found in a draft: the one finding type every output consumes."""

    rule: str
    severity: Severity
    category: Category
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    excerpt: str
    draft: str | None = None
    suggestions: list[Suggestion] = []
    start: int = Field(exclude=True, description="offset into the draft text")
    end: int = Field(exclude=True, description="offset into the draft text (exclusive)")

    def sort_key(self) -> tuple[int, int, int, str]:
        return (self.line, self.column, -self.severity.rank, self.rule)


def apply_suggestions(text: str, findings: list[Finding]) -> str:
    """``text`` with the first suggestion of each finding composed (offsets into ``text``):
    placed by the draft's shape, ordered, overlapping ones left for a next pass, one
    acknowledgement and one apology at most, nothing repeated, the seams fixed
    (:mod:`replylint.rewrite.compose`; without a linter, nothing is re-linted)."""
    # (imported when a rewritten text is asked for: `check` never loads the composer)
    from .rewrite.compose import compose

    return compose(text, findings).text


ApologyKind = Literal["owning", "scripted", "non-apology"]


class Profile(BaseModel):
    """The empathy moves one reply makes and lacks (``replylint.profile`` says how each is
    found): word-level detections with the rule book's exceptions, not judgements of quality.
    """

    model_config = ConfigDict(frozen=True)

    acknowledges_feelings: bool
    apologizes: bool
    apology_kind: ApologyKind | None = Field(
        description="the best apology present: owning, scripted, or a non-apology (None: none)"
    )
    paraphrases_issue: bool
    explains: bool
    offers_next_step: bool = Field(description="an alternative or a next step")
    gives_timeline: bool = Field(description="a concrete day or time")
    checks_back: bool
    takes_ownership: bool
    greets: bool
    signs_off: bool
    channel: str | None = Field(
        default=None, description="the draft's channel (None: not determined)"
    )
    language: str | None = Field(
        default=None, description="the draft's language (None: not determined)"
    )


class DraftProfile(BaseModel):
    """One draft of a file and its empathy profile: an item of ``files[].drafts`` in the JSON."""

    index: int = Field(description="the draft's place among its file's drafts, from 0")
    title: str | None = Field(default=None, description="its title (a macro's name), if any")
    profile: Profile


class DraftReport(BaseModel):
    """The result of linting one draft: what the library's ``check`` returns."""

    text: str
    customer: str | None = None
    title: str | None = None
    channel: str | None = Field(
        default=None,
        description="the channel the draft was linted for: email, chat, social, macro or thread",
    )
    findings: list[Finding] = []
    language: str = Field(
        default="en",
        description="the draft's language: 'en', an ISO 639-1 code where its script or words "
        "say which, 'und' for another language not known (replylint/language.py)",
    )
    prose: bool = Field(
        default=True, description="False: code, markup, a template fragment or an internal note"
    )
    profile: Profile | None = None  # set by the linter; None for a report made by hand
    # the Linter that made the report (None for one made by hand): the composer re-lints with it
    _linter: Any = PrivateAttr(default=None)

    def rewritten(self) -> str:
        """The draft with every finding's first suggestion composed into one reply
        (:mod:`replylint.rewrite.compose`): placed by the draft's shape, one acknowledgement
        and one apology at most, within the channel's length budget, and, for a report made by
        a Linter, re-linted: an edit that would add a warning is left out."""
        from .rewrite.compose import compose  # (only when asked for: `check` never loads it)

        linter = self._linter
        if linter is None or not self.findings:
            return compose(self.text, self.findings).text
        channel, customer = self.channel, self.customer

        def relint(text: str) -> list[Finding]:
            found: list[Finding] = linter.findings_of(text, customer, channel)
            return found

        budget = linter.budget(channel) if channel else None
        return compose(self.text, self.findings, budget=budget, relint=relint).text

    def to_json(self) -> dict[str, Any]:
        return {
            "version": JSON_SCHEMA_VERSION,
            "draft": self.title,
            "channel": self.channel,
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "rewritten": self.rewritten(),
            "profile": None if self.profile is None else self.profile.model_dump(mode="json"),
        }


class FileReport(BaseModel):
    path: str
    error: str | None = None
    findings: list[Finding] = []
    drafts: list[DraftProfile] = []  # the linted drafts, in file order
    draft_count: int = Field(default=0, exclude=True)  # the drafts linted (summary.drafts)


class Summary(BaseModel):
    files: int
    drafts: int
    findings: int


class Report(BaseModel):
    version: str = JSON_SCHEMA_VERSION
    files: list[FileReport]
    summary: Summary

    @classmethod
    def build(cls, files: list[FileReport]) -> Report:
        return cls(
            files=files,
            summary=Summary(
                files=len(files),
                drafts=sum(f.draft_count for f in files),
                findings=sum(len(f.findings) for f in files),
            ),
        )
