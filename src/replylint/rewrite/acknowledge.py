"""The acknowledge builder: open the reply with an apology that names the issue."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Applicability, Rule
from ..quoting import quoted_spans
from ..structure import social_structure
from .edit import opening_edit
from .issue import follows, reply_issue
from .placement import (
    after_greeting_name,
    after_label,
    after_opening_thanks,
    after_thread_marker,
)

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


ISSUE_SLOT = "<the issue>"


def acknowledge(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Open the body with "I'm sorry <the issue>.": the issue's noun phrase from the reply
    ("I'm sorry about the delay with your order."), else a slot (:func:`slot`); never a clause
    of the customer's or the reply's (see :mod:`.issue`). The acknowledgement is inserted: the
    draft's own sentences stay as they are (but for a discourse opener it would leave
    dangling, "Well", "Then")."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    place = opening_place(ctx)
    if place is None:
        return []
    at, drop = place
    # (not "I'm sorry about the outage." before "… seem to be resolved now": blind 18m)
    resolved = _RESOLVED.search(ctx.text) is not None
    issue, sent = reply_issue(ctx)
    if issue is not None and not resolved and sent is not None and not follows(ctx, at, sent):
        named_end = ctx.sentence_span(sent)[1]
        if named_end <= at and not ctx.text[named_end:at].strip():
            # named in the sentence just before ("Thanks for letting me know about the service
            # issues. I'm sorry about that."): said again, it reads twice (blind review 18g)
            issue = "about that"
        if issue == "about that" or _customers_own(issue):
            return [opening_edit(ctx, at, f"I'm sorry {issue}. ", desc, app, drop)]
    found = slot(ctx, rule, hit)
    return [found] if found is not None else []


def _customers_own(issue: str) -> bool:
    """Whether the reply's noun phrase ``issue`` ("about the delay with your order") is the
    customer's own ("your …") or the bare problem noun ("about the outage"): the reply's own
    words for it ("the MT-unsafe problems", "the issues in this repository") were sendable 0
    times in 5 in blind review 18r (fixed after it, not blind)."""
    words = issue.lower().split()
    return "your" in words or len(words) <= 3


def slot(ctx: DocContext, rule: Rule, hit: Hit) -> Edit | None:
    """ "I'm sorry about <the issue>." where the acknowledgement goes (also the gate's
    fallback for a refused acknowledgement), or None where the agent would have no issue to
    fill in: the reply asks what it is, or the customer's message names no trouble."""
    place = opening_place(ctx)
    if place is None or _ASKS_THE_ISSUE.search(ctx.text) or not _names_trouble(ctx):
        return None
    if _CONTRIBUTION.search(ctx.text):
        return None  # what wants acknowledging is their effort, not an issue to be sorry about
    desc = rule.rewrite.description if rule.rewrite is not None else ""
    at, drop = place
    text = f"I'm sorry about {ISSUE_SLOT}. "
    return opening_edit(ctx, at, text, desc, Applicability.DISPLAY_ONLY, drop)


def opening_place(ctx: DocContext) -> tuple[int, int] | None:
    """Where an opening sentence (the acknowledgement, a paraphrase) goes and how many
    characters of a discourse opener there it replaces; None where the reply continues a thread
    (the opening sentence belongs in 1/2)."""
    at = ctx.body_start
    # after the name that ends the greeting ("Hello, Chris."), and a tweet's "1:" marker
    at = after_greeting_name(ctx.text, at)
    if at == 0 and social_structure(ctx.masked.original).handles:
        at = after_thread_marker(ctx.text, at)
    while at < len(ctx.text) and ctx.text[at] in " \t":
        at += 1
    at = after_label(ctx.text, at)
    # after a thanks that opens the body ("Thank you for contacting us.", "I saw your message.")
    thanks = after_opening_thanks(ctx.text, at)
    if thanks > at:
        at = thanks
        while at < len(ctx.text) and ctx.text[at].isspace():
            at += 1
    if _continues_thread(ctx.text, at):
        return None  # "order number and postcode. … 2/2"
    if _answers_a_quote(ctx, at):
        return None  # an interleaved reply: the sentence would part an answer from its question
    # after a short answer to the customer's question ("Hi Nick, it is indeed. …"): the
    # apology before it would part the answer from its question (blind review 18j)
    answer = _SHORT_ANSWER.match(ctx.text, at)
    if answer is not None:
        at = answer.end()
        while at < len(ctx.text) and ctx.text[at] in " \t":
            at += 1
    # "Well I'd be glad to …", "Then let's …": an opener that answered the customer would
    # dangle after the new sentence; it goes, and the word after it takes the capital
    opener = _OPENER.match(ctx.text, at)
    return at, (opener.end() - at if opener is not None else 0)


def _answers_a_quote(ctx: DocContext, at: int) -> bool:
    """Whether offset ``at`` follows quoted mail with only blank space between, and what
    follows is a short answer to it ("> Is there a way to …?" / "No, <link>", "Unfortunately,
    no."): an opening sentence there would part the answer from its question (blind review
    18p: "I'm sorry about <the issue>. No <link>"; before a full answer to a quoted message it
    reads well, 18p's S003, S004, S015)."""
    if not _SHORT_REPLY.match(ctx.text, at):
        return False
    original = ctx.masked.original
    where = ctx.masked.offsets.span_to_original(at, at)[0]
    return any(e <= where and not original[e:where].strip() for _, e in quoted_spans(original))


# a short answer: yes or no, or a sentence of at most 30 characters ("Not yet.", "It does.")
_SHORT_REPLY = re.compile(
    r"(?i)(?:(?:unfortunately|sadly|sorry)[ ,]+)?(?:no|nope|yes|yep|yeah|sure|correct|right|"
    r"exactly|indeed|not\s+yet)\b|[^.!?\n]{0,30}[.!?](?:\s|$)"
)


# the reply says the trouble is over: an apology for it in the present tense would contradict it
_RESOLVED = re.compile(
    r"\b(?:resolved|fixed|restored|working\s+again|back\s+up|sorted)\s+(?:now|already)\b"
    r"|\b(?:is|are|has\s+been|have\s+been|should\s+be|seems?\s+to\s+be)\s+(?:now\s+)?"
    r"(?:resolved|fixed|restored|back\s+up|working\s+again)\b",
    re.IGNORECASE,
)
# a short answer opening the body: "it is indeed.", "Yes, it is.", "It does!" (not a bare "No.",
# terse-refusal's to rewrite)
_SHORT_ANSWER = re.compile(
    r"(?i)(?:yes|yep|yeah|indeed|correct|that's\s+right|it\s+(?:is|was|does|did|has)|"
    r"we\s+(?:do|are|can|have|did)|they\s+(?:are|do|have))\b(?:[ ,]+(?:indeed|it\s+is|it\s+does|"
    r"we\s+do|we\s+are|unfortunately|sadly|i'm\s+afraid))?\s*[.!](?=\s|$)"
)
# a discourse word that opens the body and answered the customer's message
# (not "So we can look closer, reach out …": "so" there opens a purpose clause; blind 18j)
_OPENER = re.compile(
    r"(?:well|then|so(?![ \t]+(?:that[ \t]+)?(?:we|i|you|they)[ \t]+(?:can|could|may|might)\b)|oh|"
    r"ah|hmm+|okay|ok|alright|right|now)(?:,|\.{3}|…)?[ \t]+(?=\w)",
    re.IGNORECASE,
)
# a contribution thanked before it is turned down ("Thanks for suggesting this change.
# Unfortunately, we are not accepting …"): no "I'm sorry about <the issue>" (a development set
# of saved replies, session 11: judged to answer nothing)
_CONTRIBUTION = re.compile(
    r"\b(?:thank\s+you|thanks)\s+(?:so\s+much\s+)?for\s+(?:(?:suggesting|filing|submitting|"
    r"proposing|contributing|opening)\b|(?:your|the|this)\s+(?:suggestion|contribution|proposal|"
    r"pull\s+request|pr|patch)\b)",
    re.IGNORECASE,
)
# a thread marker "2/2", "(3/4)" (not the first part) at the end of the text or the start of
# its body: this part continues the thread
_LATER_PART = re.compile(r"\(?\b(?:[2-9]|1\d)\s?/\s?(?:[2-9]|1\d)\b\)?")
# a question asking what the issue is ("What exactly is the problem you're seeing?"), or a
# request to say it ("Please let us know what you're having trouble with")
_ASKS_THE_ISSUE = re.compile(
    r"\bwhat(?:['’]s|\s+is|\s+was|\s+seems)?\b[^.?!\n]{0,40}"
    r"\b(?:issue|problem|trouble|wrong|happening|happened|going on)\b[^.?!\n]*\?"
    r"|\b(?:let\s+(?:us|me)\s+know|tell\s+(?:us|me)|describe|explain)\s+(?:more\s+about\s+)?"
    r"(?:what|which)\b[^.?!\n]{0,40}\b(?:issue|problem|trouble|error|wrong|happening|"
    r"happened|going on)\b"
    # the writer could not make out the concern ("I'm unable to comprehend your concern. Could
    # you please elaborate?"): there is no issue to fill in (blind review 18i; not blind)
    r"|\b(?:unable\s+to|not\s+able\s+to|can['’]?t|cannot|couldn['’]?t|could\s+not)\s+"
    r"(?:comprehend|understand|follow|make\s+out)\s+(?:your|the|this|that)\s+(?:concern|query|"
    r"message|question|request|tweet|issue)\b"
    r"|\b(?:please\s+)?elaborate\b",
    re.IGNORECASE,
)


def _continues_thread(text: str, at: int) -> bool:
    """Whether the reply is a later part of a thread ("… update you 2/2. ^OL")."""
    for marker in _LATER_PART.finditer(text):
        if marker.start() <= at + 1 or len(text) - marker.end() <= 12:
            return True
    return False


def _names_trouble(ctx: DocContext) -> bool:
    """Whether there may be a trouble for "<the issue>" to name: without the customer's
    message, the reply is all there is; with it, the message names a problem, complains, asks,
    or speaks of the customer's own things ("my order", "I had to pay") or of something that
    did not happen. A message that does none of these (a jibe at a third party, a bare list)
    names no issue the agent could fill in."""
    cctx = ctx.customer_context()
    if cctx is None:
        return True
    if cctx.signal("problem") or cctx.signal("complaint"):
        return True
    text = cctx.text
    return "?" in text or _OWN_OR_NOT.search(text) is not None


_OWN_OR_NOT = re.compile(
    r"\b(?:i|i['’]m|i['’]ve|me|my|mine|we|our|us|not|no|never|nothing|nobody|can['’]?t|cannot|"
    r"\w+n['’]?t)\b",
    re.IGNORECASE,
)
