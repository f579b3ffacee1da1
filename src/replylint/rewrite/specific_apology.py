"""The specific-apology builder: a stock or conditional apology becomes one that names what
happened."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Rule
from .edit import edit
from .issue import follows, reply_issue
from .placement import capitalised
from .sentence_guard import name_said, own_end, with_name

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


_CONDITIONAL_APOLOGY = re.compile(
    r"(?:sorry|apologi[sz]e|apologies)\s+if\s+(?:you\s+(?:feel|felt|think|thought)\s+(?:that\s+)?)?"
    r"(.+?)[.!]*$",
    re.IGNORECASE,
)


_APOLOGY_HEAD = re.compile(
    r"^(?:(?:i|we)\s+(?:\w+\s+){0,2}?(?:apologi[sz]e|am sorry|are sorry)|(?:i|we)['’](?:m|re)\s+"
    r"(?:\w+\s+)?sorry|(?:our\s+)?(?:sincere\s+)?apologies)\s+(?:that\s+|(for|about)\s+)?",
    re.IGNORECASE,
)
# what makes a stock phrase an apology (not praise): the fix apologises for what happened (a
# thanks for their patience apologises for a wait)
_APOLOGY_STOCK = re.compile(
    r"\b(?:sorry|apologi[sz]e[sd]?|apologies|apology|regret|inconveniences?|patience)\b",
    re.IGNORECASE,
)
# a name said right after the stock phrase: "… for any inconvenience Victoria, we'd …"
_NAME_AFTER = re.compile(r",?[ \t]+([A-Z][a-z]{1,20})(?=[ \t]*[,.!])")
# what the stock phrase is about, in other words: "… for the inconvenience with the seat
# assignment." (not a problem noun: "the trouble with" it)
_STOCK_WITH = re.compile(
    r"[ \t]+(?:with|regarding|concerning)[ \t]+"
    r"((?:the|this|your)[ \t]+(?:[\w-]+[ \t]+){0,3}?[\w-]+)"
    r"(?=[ \t]*[.,;!]|[ \t]+(?:and|but)\b)",
    re.IGNORECASE,
)
# the issue a stock apology goes on to name: "… for the inconvenience in respect to the network
# issue", "… regarding the delay with your order"
_STOCK_ABOUT = re.compile(
    r"\s+(?:in\s+respect\s+(?:to|of)|with\s+respect\s+to|with\s+regards?\s+to|regarding|"
    r"concerning|related\s+to|caused\s+by)\s+((?:the|this|your)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:issue|issues|problem|problems|delay|delays|outage|outages|error|errors|disruption|"
    r"mix-up|fault|faults|interruption|interruptions))\b(?=\s*[,.;!]|\s+(?:and|but)\b)",
    re.IGNORECASE,
)
# the stock thanks as a sentence of its own
_PATIENCE = re.compile(
    r"((?:(?:thank\s+you|thanks|we\s+thank\s+you|many\s+thanks)\s+(?:so\s+much\s+|again\s+)?for"
    r"|(?:we|i)\s+(?:really\s+|truly\s+|greatly\s+|do\s+|sincerely\s+)?appreciate)"
    r"\s+your\s+patience\s+and\s+understanding)\s*[.!]*",
    re.IGNORECASE,
)
# an acknowledgement that is itself an apology or regret
_REGRET = re.compile(r"\b(?:sorry|apologi|regret)", re.IGNORECASE)
_APOLOGY_WORD = re.compile(r"\b(?:sorry|apologi[sz]e[sd]?|apologies|apology)\b", re.IGNORECASE)


def specific_apology(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Replace a stock or non-apology with one that names what happened."""
    assert rule.rewrite is not None
    # stock praise or a mission statement ("We truly value your feedback", "doing our best to
    # provide the best service"): an apology in its place only where there is something to be
    # sorry for, never the empty "<what happened>"
    praise = not _APOLOGY_STOCK.search(ctx.text, hit.start, hit.end)
    start, end = ctx.sentence_span(hit.sent)
    end = own_end(ctx.text, start, end)  # not a sign-off glued to it ("….-RM")
    patience = _PATIENCE.fullmatch(ctx.text, start, end)
    if patience is not None:
        # "Thank you for your patience and understanding.": the thanks stays and says what the
        # patience is for (the rule's own exemption), never an apology in its place (blind
        # review 18e: a thank-you in an information request replaced by "I'm sorry that …")
        at = patience.end(1)
        text = " while we <what you're doing for them>"
        return [edit(at, at, text, rule.rewrite.description, rule.rewrite.applicability)]
    if any(
        h.sent != hit.sent and _REGRET.search(ctx.text, h.start, h.end)
        for h in ctx.signal("acknowledgement")
    ):
        # the draft apologises elsewhere ("Sorry to hear about the trouble, Eric! … We
        # apologize for the inconvenience."): a second apology is not wanted; the stock
        # sentence goes, where it is all the stock phrase (blind review 18e)
        return _drop_sentence(ctx, rule, hit, start, end)
    # "We fully understand your frustration and we are sorry for …": the understanding stays
    # (searched up to the hit's end: the apology the join looks ahead to is the hit's start)
    own_clause = _APOLOGY_CLAUSE.search(ctx.text, start, hit.end)
    if own_clause is not None and own_clause.start() <= hit.start:
        start = own_clause.end()
    # "sorry if you feel that the service was slow" -> "I'm sorry the service was slow."
    own = _CONDITIONAL_APOLOGY.search(ctx.source(hit.start, end))
    issue: str | None = None
    if own:
        clause = re.sub(r"\bcaused any\b", "caused", own.group(1).strip())
        if re.search(
            r"\b(?:was|were|is|are|has|have|had|did|caused|came|seemed|took|made|"
            r"got|went|didn't|wasn't|weren't|\w+ed)\b",
            clause,
        ):
            issue = clause
    # "sorry you are unhappy with the size difference in your steaks" -> "I'm sorry about the
    # size difference in your steaks." (blind review 18i: the slot threw the detail away)
    unhappy = _UNHAPPY_WITH.search(ctx.source(hit.start, end)) if issue is None else None
    if unhappy is not None:
        issue = "about " + unhappy.group(1).strip()
    # "We apologize for the inconvenience in respect to the network issue, …": the issue the
    # stock phrase itself names (blind review 18e: the slot threw it away)
    named = _STOCK_ABOUT.match(ctx.text, hit.end, end)
    if issue is None and named is not None:
        issue = "about " + named.group(1)
    elif issue is None and (about := _STOCK_WITH.match(ctx.text, hit.end, end)) is not None:
        issue = "about the trouble with " + about.group(1)
    elif issue is None and (cause := _STOCK_CAUSED.match(ctx.text, hit.end, end)) is not None:
        # "… any inconvenience the delay has caused", "… caused by the late delivery" (18j)
        issue = "about " + (cause.group(1) or "the " + cause.group(2).strip())
    if not issue:
        found, sent = reply_issue(ctx, skip_sentence=hit.sent)
        if found is not None and sent is not None and not follows(ctx, end, sent):
            issue = found  # (not the sentence right after: it would say the same again)
    if issue:  # an apology of the draft's own as the issue: its clause, not "I'm sorry I apologize"
        head = _APOLOGY_HEAD.match(issue)
        if head is not None:  # "I apologise for the delay" -> "about the delay"
            issue = ("about " if head.group(1) else "") + issue[head.end() :]
        if _APOLOGY_WORD.search(issue) or not issue.strip():
            issue = None
    if issue:
        text = f"I'm sorry {issue}."
    elif praise:
        return []
    elif _NAMES_AN_ISSUE.search(ctx.text):  # "your issue": an issue the agent can name
        text = "I'm sorry about <the issue>."
    else:
        # "… caused to you this morning": the slot keeps when it happened (blind review 18j)
        when = _WHEN.search(ctx.text, hit.end, end)
        text = f"I'm sorry that <what happened>{' ' + when.group(1) if when else ''}."
    # the customer's name, at the sentence's end or right after the stock phrase ("We're sorry
    # for any inconvenience Victoria, we'd be sad …": blind review 18f)
    after = _NAME_AFTER.match(ctx.text, hit.end, end)
    name = name_said(ctx.text[start:end]) or (
        after.group(1) if after and name_said(f", {after.group(1)}.") else None
    )
    text = with_name(text, name)
    late = _LATE_REPLY.match(ctx.text, hit.end, end)
    if late is not None:  # "sorry for the inconveniences and for the late reply" (blind 18m)
        text = f"{text[:-1]}, and {late.group(1)}."
    rest = _rest_of_sentence(ctx, hit, start, end)
    if rest:  # "… and are monitoring your shipment": only the stock clause is replaced
        text = text + " " + rest
    return [edit(start, end, text, rule.rewrite.description, rule.rewrite.applicability)]


def _drop_sentence(ctx: DocContext, rule: Rule, hit: Hit, start: int, end: int) -> list[Edit]:
    """The stock sentence [start, end) deleted (with the space before it), where the stock
    phrase is all of it; else nothing."""
    assert rule.rewrite is not None
    rest = ctx.text[start : hit.start] + ctx.text[hit.end : end]
    if rest.strip(" \t.!,;:") or start == 0:
        return []
    cut = start
    while cut > 0 and ctx.text[cut - 1] in " \t":
        cut -= 1
    if cut == 0 or ctx.text[cut - 1] == "\n":
        cut = start  # a line of its own: the line's text goes, its line break stays
    return [
        edit(
            cut,
            end,
            "",
            "Leave out the stock apology: the reply already apologises",
            rule.rewrite.applicability,
        )
    ]


# the writer's own delay apologised for with the stock phrase: kept beside the new apology
_LATE_REPLY = re.compile(
    r"\s*,?\s*and\s+(for\s+(?:the|my|our)\s+(?:late|slow|delayed)\s+(?:reply|response|answer))"
    r"\s*[.!]?\s*$",
    re.IGNORECASE,
)
# when it happened, ending the stock sentence: "… caused to you this morning"
_WHEN = re.compile(
    r"\b(this\s+(?:morning|afternoon|evening|week|weekend)|today|tonight|yesterday|"
    r"last\s+(?:night|week)|earlier\s+today)\s*[.!]?\s*$",
    re.IGNORECASE,
)
# what caused the stock phrase's inconvenience: "… for any inconvenience the delay has caused",
# "… the inconvenience caused by the late delivery"
_STOCK_CAUSED = re.compile(
    r"\s+(?:that\s+|which\s+)?(the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)\s+(?:has|have|may\s+have|"
    r"might\s+have|has\s+been)?\s*caused\b|\s+caused\s+by\s+(?:the\s+)?([a-z][\w\s-]{2,40}?)(?=[.!?,;]|$)",
    re.IGNORECASE,
)
# the customer's feeling about a named thing: "you are unhappy with the size difference in
# your steaks" (what went wrong is the thing)
_UNHAPPY_WITH = re.compile(
    r"\byou(?:['’]re|\s+are|\s+were|['’]ve\s+been|\s+have\s+been)\s+(?:so\s+|really\s+|very\s+)?"
    r"(?:unhappy|disappointed|upset|dissatisfied|not\s+happy|frustrated|annoyed)\s+"
    r"(?:with|about|by)\s+((?:the|your)\s[^.!?,;]{3,80}?)\s*(?=[.!?,;]|$)",
    re.IGNORECASE,
)
# the join before the apology's own clause, after a clause of the sentence's own ("We
# understand your frustration and | we are sorry …")
_APOLOGY_CLAUSE = re.compile(
    r"(?<=\w)(?:,?\s+(?:and|but)|[,;])\s+(?=(?:we|i)\s+(?:\w+\s+){0,2}?"
    r"(?:are|am|'re|’re|'m|’m|apologi[sz]e|do apologi[sz]e|sincerely|truly|deeply|really|very)\b"
    # the subject left to the clause before: "We fully understand your disappointment and
    # sincerely apologize …", "Thanks for your understanding and apologies for …"
    r"|(?:(?:sincerely|truly|deeply|really|do)\s+)?(?:apologi[sz]e|apologies|sorry)\b)",
    re.IGNORECASE,
)
# the draft names an issue without saying what it is ("regarding your issue")
_NAMES_AN_ISSUE = re.compile(
    r"\b(?:your|the|this|that)\s+(?:issue|problem|complaint|trouble|case|request)\b", re.I
)
_JOIN = re.compile(r",?\s+(?:and|but)\s+(?=\w)|[,;]\s+(?=\w)", re.IGNORECASE)
_SUBJECTS = {"nsubj", "nsubjpass", "expl"}


def _rest_of_sentence(ctx: DocContext, hit: Hit, start: int, end: int) -> str:
    """A clause of the sentence's own after the stock apology ("… and I'm happy to help!", "…,
    thank you for your feedback."), as a sentence of its own; "" where there is none. A clause
    that shares the apology's subject gets it back ("We apologize … and are monitoring your
    shipment" -> "We are monitoring your shipment")."""
    for join in _JOIN.finditer(ctx.text, hit.end, end):
        rest_start = join.end()
        span = ctx.parsed_span(rest_start, end)
        if span is None or not len(span) or not any(t.pos_ in {"VERB", "AUX"} for t in span):
            continue
        rest = ctx.source(rest_start, end).strip()
        first = span[0]
        # a subject of the clause's own (not "as we can" inside it: "… and hope to have it
        # restored soon as we can" keeps the apology's "We"; blind review 18j)
        own_subject = any(t.dep_ in _SUBJECTS and t.head.i == span.root.i for t in span)
        if own_subject or first.lower_ in {"thank", "thanks", "please"}:
            capital = capitalised(rest.split(" ")[0])
            rest = (capital + rest[1:]) if capital is not None else rest
            # "However this isn't …" opening a sentence takes its comma (blind review 18h)
            return re.sub(r"^(However|Nevertheless|Unfortunately)\s+(?=\w)", r"\1, ", rest)
        if first.pos_ in {"AUX", "VERB"}:
            head = ctx.parsed_span(start, hit.end)
            subject = next((t for t in head or () if t.dep_ in _SUBJECTS), None)
            if subject is not None and subject.lower_ in {"we", "i"}:
                return f"{subject.text[:1].upper()}{subject.text[1:]} {rest}"
        return ""
    return ""
