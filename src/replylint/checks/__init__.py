"""The few checks that token patterns cannot express (rule kind ``check``), one module each.

A check takes the draft's :class:`~replylint.engine.context.DocContext` and its rule and returns
hits; the engine applies the rule's ``unless`` windows and its rewrite like any other match. A
rule names its check in ``check:``; what the check takes in ``params`` (word lists, limits)
and the signals it reads are declared in :mod:`replylint.params`, validated when the rule
book loads. To add one: a module here, its entry in :data:`CHECKS`, its description in
``params.CHECK_KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..models import Rule
from .calm_report import calm_question, calm_report
from .missing_greeting import missing_greeting
from .quiet_turn import (
    answer_turn,
    calm_resolution,
    plain_request,
    question_turn,
    quiet_turn,
)
from .restates_issue import quotes_customer, restates_issue
from .self_story import self_story
from .terse_refusal import terse_refusal
from .we_focus import we_focus

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Hit

Check = Callable[["DocContext", Rule], list["Hit"]]
# what a match spec names in ``checks:`` (a detector takes the draft alone; described in
# ``params.DETECTOR_KINDS``)
Detector = Callable[["DocContext"], list["Hit"]]

CHECKS: dict[str, Check] = {
    "terse-refusal": terse_refusal,
    "self-story": self_story,
    "missing-greeting": missing_greeting,
    "we-focus": we_focus,
}

DETECTORS: dict[str, Detector] = {
    "restates-issue": restates_issue,
    "quiet-turn": quiet_turn,
    "answer-turn": answer_turn,
    "question-turn": question_turn,
    "plain-request": plain_request,
    "calm-resolution": calm_resolution,
    "calm-report": calm_report,
    "calm-question": calm_question,
    "quotes-customer": quotes_customer,
}
