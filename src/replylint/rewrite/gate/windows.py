"""The text a candidate's re-lint reads: the core of its window (the sentences the edit and
the finding touch), that core widened by neighbouring sentences, and the original text of
those spans before and after the edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...params import CHECK_KINDS

if TYPE_CHECKING:
    from ...engine.context import DocContext
    from ...engine.hits import Edit, Hit
    from ...models import Rule


def window(ctx: DocContext, rule: Rule, hit: Hit, e: Edit) -> tuple[int, int]:
    """The core of the edit's window: the span of the masked text whose sentences the edit and
    the finding touch. A sentence inserted on its own for a document-level (absence) rule
    touches none: its core is empty. A document-level check's is the whole draft."""
    if rule.kind == "check" and rule.check is not None:
        kind = CHECK_KINDS.get(rule.check)
        if kind is not None and kind.document:
            return 0, len(ctx.text)
    if e.start == e.end and rule.kind == "absence":
        index = ctx.sent_index(e.start)
        a, b = ctx.sentence_span(index)
        if not ctx.text[a : e.start].strip() or e.start >= b:
            return e.start, e.start
    lo, hi = min(e.start, hit.start), max(e.end, hit.end)
    first = ctx.sent_index(lo)
    last = ctx.sent_index(max(lo, hi - 1)) if hi > lo else first
    a = ctx.sentence_span(first)[0]
    b = ctx.sentence_span(last)[1]
    return min(a, lo), max(b, hi)


def widened(ctx: DocContext, core: tuple[int, int], by: int = 1) -> tuple[int, int]:
    """``core`` with ``by`` sentences before it and after it: the window whose hits the check
    compares (by 1: what an ``unless`` window of a rule in the core reads, "sentence+next"),
    or the text linted for it (by 2: what the rules of those neighbours read in turn)."""
    a, b = core
    if not ctx.sents:
        return a, b
    first = ctx.sent_index(a)
    last = ctx.sent_index(max(a, b - 1)) if b > a else first
    start = ctx.sents[max(0, first - by)].start_char
    end = ctx.sents[min(len(ctx.sents) - 1, last + by)].end_char
    return min(start, a), max(end, b)


def texts_of(
    ctx: DocContext, text_span: tuple[int, int], focus: tuple[int, int], e: Edit
) -> tuple[str, str, tuple[int, int]]:
    """The original text of ``text_span`` before and after the edit, and where ``focus`` (the
    window whose hits are compared) is in the text after."""
    mapped = ctx.masked.offsets.span_to_original
    a, b = mapped(*text_span)
    fa, fb = mapped(*focus)
    ea, eb = mapped(e.start, e.end)
    original = ctx.masked.original
    before = original[a:b]
    new = e.replacement
    if ea == eb and new.strip() == new:  # an insertion: the composer spaces it
        if ea > a and not original[ea - 1].isspace():
            new = " " + new
        if ea < b and not original[ea].isspace():
            new = new + " "
    after = original[a:ea] + new + original[eb:b]
    delta = len(new) - (eb - ea)
    return before, after, (min(fa, ea) - a, max(fb, eb) - a + delta)


def core_texts(ctx: DocContext, core: tuple[int, int], e: Edit) -> tuple[str, str]:
    """The original text of the core (the sentences the edit touches) before and after the
    edit (an insertion on its own: nothing, and the new sentence)."""
    mapped = ctx.masked.offsets.span_to_original
    ca, cb = mapped(*core)
    ea, eb = mapped(e.start, e.end)
    original = ctx.masked.original
    if ca == cb:
        return "", e.replacement.strip()
    new = e.replacement
    if ea == eb and new.strip() == new:
        if ea > ca and not original[ea - 1].isspace():
            new = " " + new
        if ea < cb and not original[ea].isspace():
            new = new + " "
    return original[ca:cb], original[ca:ea] + new + original[eb:cb]
