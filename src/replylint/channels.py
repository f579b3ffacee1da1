"""Channels: which channel a draft is written for, and what that changes (DESIGN.md 4a).

A reply's channel (``email``, ``chat``, ``social``, ``macro``, ``thread``) decides which rules
apply to it, at what severity, and how long a rewrite may make it: the table is data,
``rules/_channels.yaml``, validated on load. The configuration's ``channel`` is one of them or
``auto``, which decides per draft (:func:`detect`):

1. a draft that opens with @handles is **social** (whatever the file);
2. a draft of an ``.eml`` file is **email**;
3. a draft of a helpdesk export or a macro collection (a JSON, YAML, CSV or TSV file, or a
   Markdown file of saved replies: a titled section) is **macro**;
4. a draft with a helpdesk placeholder (``{{ticket.requester.first_name}}``, ``[Customer
   Name]`` …) is a template: **macro**;
5. anything else is **email**.

``chat`` and ``thread`` are never guessed: no shape tells a chat turn or a comment on an issue
tracker or forum from a short e-mail reliably (all are short, greet or not, and have no handle),
so they are chosen with ``channel = "chat"`` or ``channel = "thread"``.

:func:`apply_channel` is applied to each draft's findings as the engine hands them back
(:meth:`replylint.Linter.engine_findings`), before the run's finish step: every path (check,
fix, the language server, the library, the server) gets it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .models import Finding, Severity, Suggestion
from .ruledata import RuleBookError, format_validation_error, read_yaml, rules_dir
from .structure import social_structure

if TYPE_CHECKING:
    from .sources.base import Draft

Channel = Literal["email", "chat", "social", "macro", "thread"]
ChannelSetting = Literal["auto", "email", "chat", "social", "macro", "thread"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
SETTINGS: tuple[ChannelSetting, ...] = get_args(ChannelSetting)
CHANNELS_FILE = "_channels.yaml"

# the readers of collections: each of their drafts is one reply of a helpdesk export or macro
# collection (kept here as suffixes so that deciding imports no reader)
_COLLECTIONS = {".json", ".yaml", ".yml", ".csv", ".tsv"}
_MARKDOWN = {".md", ".markdown"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# a sentence end inside a suggested replacement: ". " "! " "? " before more text
_SENTENCE_BREAK = re.compile(r"[.!?](?:\s+)(?=\S)")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RuleSetting(_Strict):
    """What a channel changes about one rule (see the comments in rules/_channels.yaml)."""

    off: bool = False
    severity: Severity | None = None
    needs_customer: bool = Field(default=False, alias="needs-customer")
    min_words: int = Field(default=0, ge=0, alias="min-words")
    whole_reply: bool = Field(default=False, alias="whole-reply")


class Budget(_Strict):
    reply_chars: int | None = Field(default=None, gt=0, alias="reply-chars")
    edit_sentences: int | None = Field(default=None, gt=0, alias="edit-sentences")


class ChannelRules(_Strict):
    rules: dict[str, RuleSetting] = {}
    budget: Budget = Budget()


class ChannelTable(_Strict):
    channels: dict[Channel, ChannelRules]


def load_table(path: Path, known: Iterable[str]) -> ChannelTable:
    """The channel table in ``path``, validated: every channel present, each rule id one of
    ``known`` (a :class:`~replylint.ruledata.RuleBookError`, one line naming the file and key,
    otherwise)."""
    data = read_yaml(path)
    if isinstance(data, dict) and isinstance(data.get("channels"), dict):
        for name in data["channels"]:
            if name not in CHANNELS:
                raise RuleBookError(
                    f"{path}: channels.{name}: unknown channel {name!r}; "
                    f"channels: {', '.join(CHANNELS)}"
                )
    try:
        table = ChannelTable.model_validate(data)
    except ValidationError as exc:
        raise RuleBookError(format_validation_error(path, exc)) from None
    missing = [c for c in CHANNELS if c not in table.channels]
    if missing:
        raise RuleBookError(f"{path}: channels: no entry for {', '.join(missing)}")
    ids = set(known)
    for channel, entry in table.channels.items():
        for rule_id in entry.rules:
            if rule_id not in ids:
                raise RuleBookError(
                    f"{path}: channels.{channel}.rules.{rule_id}: unknown rule id {rule_id!r}"
                )
    return table


@cache
def channel_table() -> ChannelTable:
    """The shipped table (rules/_channels.yaml), checked against the shipped rule ids."""
    from .rulebook import load_rulebook

    return load_table(rules_dir() / CHANNELS_FILE, load_rulebook().rules)


def _suffix(name: str) -> str:
    base = os.path.basename(name)
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


def detect(draft: Draft) -> Channel:
    """The channel of a draft, from its shape and its file's format (see the module doc)."""
    if social_structure(draft.text).handles:
        return "social"
    suffix = _suffix(draft.path) if draft.path and not draft.path.startswith("<") else ""
    if suffix == ".eml":
        return "email"
    if suffix in _COLLECTIONS or (suffix in _MARKDOWN and draft.title is not None):
        return "macro"
    from .placeholders import DEFAULT_PATTERN

    if DEFAULT_PATTERN.search(draft.text):
        return "macro"
    return "email"


def channel_of(draft: Draft, setting: str = "auto") -> Channel:
    """The channel ``draft`` is linted for under the configuration's ``channel``."""
    if setting == "auto":
        return detect(draft)
    assert setting in CHANNELS, setting
    return setting


def words(text: str) -> int:
    """The reply's words, the handles, thread markers and sign-off initials around it not
    counted (what ``min-words`` compares)."""
    total = len(_WORD.findall(text))
    for start, end in social_structure(text).spans:
        total -= len(_WORD.findall(text, start, end))
    return total


def skipped_rules(channel: Channel, text: str, customer: str | None) -> tuple[str, ...]:
    """The rules ``channel`` turns off for the draft ``text`` (off, or a condition it does not
    meet): the engine does not evaluate them for it. Sorted, so equal sets give equal keys."""
    entry = channel_table().channels[channel]
    out: list[str] = []
    count: int | None = None
    for rule_id, setting in entry.rules.items():
        if setting.off or (setting.needs_customer and not (customer or "").strip()):
            out.append(rule_id)
        elif setting.min_words:
            count = words(text) if count is None else count
            if count < setting.min_words:
                out.append(rule_id)
        elif setting.whole_reply:
            from .engine.moves import is_whole_reply

            if not is_whole_reply(text):  # a block pasted into a reply the helpdesk signs
                out.append(rule_id)
    return tuple(sorted(out))


def apply_channel(
    channel: Channel, text: str, customer: str | None, findings: list[Finding]
) -> list[Finding]:
    """``findings`` of the draft ``text`` as ``channel`` has them: rules it turns off or whose
    condition the draft does not meet dropped, severities set, suggestions over its budget
    dropped (the finding stays)."""
    entry = channel_table().channels[channel]
    if not entry.rules and entry.budget == Budget():
        return findings
    skipped = set(skipped_rules(channel, text, customer))  # the engine left them out already
    out: list[Finding] = []
    for f in findings:
        if f.rule in skipped:
            continue
        setting = entry.rules.get(f.rule)
        if setting is not None and setting.severity not in (None, f.severity):
            f = f.model_copy(update={"severity": setting.severity})
        f = _within_budget(entry.budget, text, f)
        out.append(f)
    return out


def _within_budget(budget: Budget, text: str, f: Finding) -> Finding:
    if not f.suggestions or (budget.reply_chars is None and budget.edit_sentences is None):
        return f
    kept = []
    for s in f.suggestions:
        if budget.reply_chars is not None:
            after = len(text) - (s.end - s.start) + len(s.replacement)
            if after > budget.reply_chars and after > len(text):
                continue
        if budget.edit_sentences is not None:
            s = _sentences(s, budget.edit_sentences, text[s.start : s.end])
        kept.append(s)
    if kept == f.suggestions:
        return f
    return f.model_copy(update={"suggestions": kept})


def _sentences(s: Suggestion, limit: int, old: str = "") -> Suggestion:
    """``s`` with its replacement cut to its first ``limit`` sentences (and the white space it
    ended with: an insertion stays apart from the text after it). The draft's own text that
    the replacement ends with (the capital of the word an opening sentence now precedes,
    "… the issue. N" for "n") is not a sentence of its: cutting it would delete it."""
    text = s.replacement
    # (a full stop that opens the replacement closes the draft's own sentence: not one of its)
    breaks = [b for b in _SENTENCE_BREAK.finditer(text.rstrip()) if text[: b.start()].strip()]
    if len(breaks) < limit:
        return s
    cut = breaks[limit - 1].start() + 1
    tail = text[cut:].strip()
    if len(breaks) == limit and tail and old.lower().endswith(tail.lower()):
        return s
    trailing = text[len(text.rstrip()) :]
    return s.model_copy(update={"replacement": text[:cut] + trailing})
