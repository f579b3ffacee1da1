"""The gate every suggestion passes before it is offered (issue 18, DESIGN.md §4).

A rule's builder (or template) proposes candidate edits; the engine hands each draft's
candidates here, after its rules ran, and keeps only those the gate lets through:

1. **Static checks** (:func:`static_reason`, cheap, on every candidate): the new text carries
   no @handle, URL, hashtag, emoji, e-mail header or profanity the replaced text did not have,
   no question or leftover first person of the customer's, nothing glued after "I'm sorry"
   that does not fit (an adverb, a discourse word, a verb without a subject, an infinitive, a
   participle), no doubled word, no sentence the draft already has, no second apology or
   acknowledgement, no refusal inside an apology; a replacement covers no more than its
   finding's sentence and drops no link, handle, placeholder or number of it; a social reply
   (one that opens with @handles) stays within 280 characters.
2. **The dynamic check** (:func:`verify`, on what passed): the edit applied to the draft's
   text and the draft re-linted where the edit can change anything: the sentences the edit and
   the finding touch, before and after the edit (every existence and check rule is judged by
   sentence), and, for the document-level (absence) rules, their triggers and requirements in
   those sentences together with the rest of the draft's. Its finding must be gone and no
   finding of warning or above may appear. A rule whose finding the touched sentences alone do
   not reproduce (a document-level check such as we-focus) is judged on the whole edited
   draft. Results are remembered by text, so a sentence seen before is not linted again.

A refused candidate falls back to the builder's display-only template (a visible ``<slot>``,
:data:`FALLBACKS`) when that passes, else the finding has no suggestion. The reasons are kept
(``replylint check --explain-suggestions``, ``replylint eval --rewrites``).

The package: :mod:`.static` (the static checks), :mod:`.windows` (the text an edit's re-lint
reads), :mod:`.verdict` (what the re-lint's summaries say: the dynamic verdict),
:mod:`.fallback` (display-only fallbacks and honest applicability); the engine runs them
(``engine/verify.py``). Its word lists are the lexicon's (``rules/_lexicon.yaml``, ``gate``).
"""

from __future__ import annotations

from .fallback import FALLBACKS, fallback, honest
from .static import (
    CONTENT_BUILDERS,
    INTERJECTIONS,
    PROFANITY,
    REFUSAL,
    SOCIAL_CHARS,
    _after_sorry,
    static_reason,
)
from .verdict import (
    Candidate,
    InContext,
    Judged,
    Lazy,
    Pending,
    Probe,
    Summary,
    absence_outside,
    judge_dynamic,
)
from .windows import core_texts, texts_of, widened, window

__all__ = [
    "CONTENT_BUILDERS",
    "FALLBACKS",
    "INTERJECTIONS",
    "PROFANITY",
    "REFUSAL",
    "SOCIAL_CHARS",
    "Candidate",
    "InContext",
    "Judged",
    "Lazy",
    "Pending",
    "Probe",
    "Summary",
    "_after_sorry",
    "absence_outside",
    "core_texts",
    "fallback",
    "honest",
    "judge_dynamic",
    "static_reason",
    "texts_of",
    "widened",
    "window",
]
