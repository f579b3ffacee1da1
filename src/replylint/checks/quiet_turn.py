"""quiet-turn: the reply's questions in a turn where the customer's message complains of nothing;
answer-turn: the whole reply, in a turn where the customer's message answers the writer;
question-turn: the whole reply, when it only asks diagnostic questions mid-thread;
plain-request: the whole reply, a turn answering a request with no trouble in it (directions);
calm-resolution: the whole reply, when it says a calm customer's request is done
(calm-report and calm-question: :mod:`.calm_report`).

When the customer's message is given, it decides whether there is a problem the customer feels.
Mid-thread, a customer often answers a question ("Yes, all files, on a Mac") and the reply asks
the next diagnostic one ("Are you facing the issue after migrating the catalog?"): the problem
words in that question are the writer's diagnosis, not a complaint to acknowledge. This
detector's hits are the reply's question sentences, and only when the customer's message is
given, is an answer ("Yes, …", "No, …", "OK …") or only data (a code, a version: "efeab30c",
"Spotify 8.4.25 and iOS 11") and holds no complaint (signal
``complaint``); signal ``felt-problem`` excuses the
problem words inside them. Without the customer's message it finds nothing (a macro's questions
still count).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Hit


# what a customer's answer to the writer's last question opens with ("Yes all files, Mac")
_ANSWERS = frozenset(
    {"yes", "yeah", "yep", "yup", "yea", "no", "nope", "nah", "ok", "okay", "sure", "correct"}
)


# the most words a customer's message of plain data has ("iOS 11.2, app 4.3.1, on wifi")
_DATA_WORDS = 8


def quiet_turn(ctx: DocContext) -> list[Hit]:
    """The reply's sentences that end in a question mark, when the customer's message is given,
    is an answer (it opens with "yes", "no", "ok" … after any @handles) or only data (see
    ``_data``) and complains of nothing."""
    customer = ctx.customer_context()
    if customer is None or customer.signal("complaint"):
        return []
    if not (_answers(customer) or _data(customer)):
        return []
    hits: list[Hit] = []
    for index, sent in enumerate(ctx.sents):
        if sent.text.rstrip().endswith("?"):
            hits.append(ctx.hit(*ctx.sentence_span(index)))
    return hits


def answer_turn(ctx: DocContext) -> list[Hit]:
    """The whole reply, when the customer's message is given and answers the writer's last
    question ("Yes. They get an error message.", "No, virginmedia. Tried twice …") or asks them
    to hold ("I'm on 11.0.3. Hold please."): a turn in the middle of a thread, complaining of
    nothing but plain trouble ("They get an error"; no-acknowledgement: the acknowledgement
    belongs to the opening turn)."""
    customer = ctx.customer_context()
    if customer is None or not (_answers(customer, True) or _HOLD.search(customer.text)):
        return []
    # renewed frustration is no neutral answer ("No, they didn't. I asked multiple times. No
    # answers"): only a complaint made of plain trouble words ("They get an error") is excused
    if not _plain_trouble(customer):
        return []
    return [ctx.hit(0, len(ctx.text))]


def question_turn(ctx: DocContext) -> list[Hit]:
    """The whole reply, when it only asks the customer questions ("Did you try changing the
    location? Do you have another VPN app installed?", "Thanks very much. Are you still having
    the issue?"), with no more than a short thanks besides: a diagnostic turn in the middle of a
    thread, whose acknowledgement belongs to the opening turn (blind reviews 19k, 19l, 19m
    judged no-acknowledgement on such turns fired by the channel; fixed after them, not blind).
    With the customer's message, when it asks nothing and complains of nothing but plain
    trouble ("… and I get an error"; not "Any way to solve this?", a first report); without it,
    when the reply shows it follows an earlier turn ("still", "again", a thanks, "just to
    check"; not a bare "Was it delayed due to a payment issue?"). A first reply says so
    ("Thanks for reaching out") and is not one."""
    questions = 0
    for sent in ctx.sents:
        said = sent.text.strip()
        if not said:
            continue
        if said.endswith("?"):
            questions += 1
        elif not (_THANKS.fullmatch(said) or _CLOSER.fullmatch(said)):
            return []
    if not questions or _FIRST_CONTACT.search(ctx.text):
        return []
    customer = ctx.customer_context()
    if customer is None:
        if not _FOLLOWS_ON.search(ctx.text):
            return []
    elif "?" in customer.text or not _plain_trouble(customer):
        return []
    return [ctx.hit(0, len(ctx.text))]


# a short thanks standing alone ("Thanks very much.", "Thank you, Sam!", "Hi Jo, thanks!")
_THANKS = re.compile(
    r"(?i)(?:(?:hi|hey|hello)\b[^.!?]{0,20}?[,!]?\s*)?(?:thanks|thank\s+you|ty|cheers)"
    r"(?:\s+(?:very|so)\s+much)?(?:\s+for\s+(?:the|that|your)\s+(?:info|information|"
    r"details|update|reply|response|patience|screenshot|confirmation))?(?:,?\s+[A-Z][\w'’-]*)?"
    r"\s*[.!]*"
)
# a short closer after the questions ("Let us know. We're here to help."; blind review 19p)
_CLOSER = re.compile(
    r"(?i)(?:please\s+)?(?:let\s+(?:us|me)\s+know|(?:we['’]re|we\s+are|i['’]m|i\s+am)\s+(?:here|happy|"
    r"glad)\s+to\s+help|(?:here|happy|glad)\s+to\s+help|we['’]d\s+like\s+to\s+help)\s*[.!]*"
)
# a turn that follows an earlier one: "Are you still …?", "… again?", "Thanks very much.",
# "Just to check, …"
_FOLLOWS_ON = re.compile(
    r"\b(?:still|again|anymore|any\s+longer|thanks|thank\s+you)\b|\bjust\s+to\s+(?:check|confirm|"
    r"clarify|double-check)\b",
    re.IGNORECASE,
)
_FIRST_CONTACT = re.compile(
    r"\b(?:reaching\s+out|contacting\s+us|getting\s+in\s+touch|letting\s+us\s+know|"
    r"bringing\s+this)\b",
    re.IGNORECASE,
)


def _plain_trouble(customer: DocContext) -> bool:
    """Whether every complaint the customer's message makes is plain trouble words ("I get an
    error", "no internet connection"), not renewed frustration ("No answers", "!!!")."""
    trouble = [(h.start, h.end) for h in customer.signal("trouble")]
    return all(
        any(a <= h.start and h.end <= b for a, b in trouble) for h in customer.signal("complaint")
    )


_HOLD = re.compile(r"\bhold\s+(?:on\s+)?please\b|\bplease\s+hold\b", re.IGNORECASE)


def _data(customer: DocContext) -> bool:
    """Whether the customer's message is only data the writer asked for: a few words (at most
    eight after @handles and #tags), no question, and a code, number or version among them
    ("efeab30c", "Spotify 8.4.25 and iOS 11", "order 4471")."""
    text = customer.text
    if "?" in text:
        return False
    words = [w for w in text.split() if not w.startswith(("@", "#"))]
    if not words or len(words) > _DATA_WORDS:
        return False
    return any(any(ch.isdigit() for ch in w) for w in words)


def _answers(customer: DocContext, punctuated: bool = False) -> bool:
    """Whether the customer's message opens with an answer word, after any @handles (with
    ``punctuated``, one its own punctuation ends: "No, virginmedia." but not "no money in my
    account")."""
    for word in customer.text.split():
        if word.startswith("@"):
            continue
        if punctuated and word[-1:] not in {",", ".", "!", ":", ";"}:
            return False
        return word.strip(",.!:;").lower() in _ANSWERS
    return False


def plain_request(ctx: DocContext) -> list[Hit]:
    """The whole reply, when the customer's message is given and asks for something without
    any trouble in it ("I need walking directions from the station to Main Street", "How often
    should I take my medicine?"): steps that answer a plain request fix nothing, and in a chat
    the customer's next turn is the check (blind review 19q judged no-check-back on directions
    fired by the channel; fixed after it, not blind)."""
    if ctx.greeting is not None or "\n\n" in ctx.text.strip():
        return []  # a letter ("Hi Tariq, … Best wishes"): the reply is all the customer gets
    customer = ctx.customer_context()
    if customer is None or not _ASKS.search(customer.text):
        return []  # "I've been without internet for 5 days." asks nothing: a report
    if _UNEASY.search(customer.text) or customer.signal("complaint") or customer.signal("problem"):
        return []  # the complaint words miss much ("my son bought skins without asking"): any
        # no, trouble word, "why" or "??" is taken for a problem
    return [ctx.hit(0, len(ctx.text))]


# a word of trouble or unease in the customer's message: a no, "why", "still", "again", a
# money or order word that trouble comes with, "??" or "!"
_UNEASY = re.compile(
    r"n['’]t\b|\b(?:cant|wont|dont|didnt|doesnt|isnt|wasnt|havent|hasnt|not|no|never|nothing|"
    r"none|nobody|without|cannot|problems?|issues?|wrong|"
    r"broken|errors?|fail\w*|charged?|charges|bill|billed|refund\w*|return\w*|cancel\w*|late|"
    r"delay\w*|lost|missing|stuck|too|again|still|why|help)\b|\?\?|!",
    re.IGNORECASE,
)


# a request: a question, or asked for in so many words
_ASKS = re.compile(
    r"\?|\b(?:i|we)\s+(?:need|want|would\s+like|'d\s+like|’d\s+like)\b|\b(?:i'm|i\s+am|im|we're|"
    r"we\s+are)\s+(?:looking|trying)\s+(?:for|to)\b|\b(?:can|could|would|will)\s+(?:you|u)\b|"
    r"\b(?:please|pls|plz)\b|\b(?:help|tell|give|show|send|book|find)\s+(?:me|us)\b",
    re.IGNORECASE,
)


def calm_resolution(ctx: DocContext) -> list[Hit]:
    """The whole reply, when the customer's message is given and calm (its only complaint is
    plain trouble: "Can't find a way to cancel my subscription", "2 of my team members are
    unresponsive") and the reply says it is done ("We just canceled and refunded your
    subscription.", "@manu has been removed from the team.", "issue reopened", "Fixed in the
    next release."), with no no beside it: there is no feeling to acknowledge, the request is
    met (blind review 19r judged no-acknowledgement on such replies wrong; fixed after it, not
    blind). An upset customer is still owed the acknowledgement, done or not."""
    customer = ctx.customer_context()
    if customer is None or not _plain_trouble(customer) or MONEY.search(customer.text):
        return []  # money taken is owed an apology however calmly told ("charged twice")
    if customer.signal("felt-loss") or _AGAIN.search(customer.text):
        return []  # so is a loss or damage ("eggs smashed in my delivery"), or trouble again
    if ctx.signal("refusal") or not _DONE.search(ctx.text):
        return []
    return [ctx.hit(0, len(ctx.text))]


_AGAIN = re.compile(r"\b(?:again|still|another\s+time)\b", re.IGNORECASE)
MONEY = re.compile(
    r"\b(?:charged|charges?|billed|bill|refund\w*|payments?|pay|paying|paid|money|debited|"
    r"overcharged|fees?|(?-i:costs?))\b",
    re.IGNORECASE,
)


# the writer says it is done: "We just canceled and refunded …", "has been removed", "issue
# reopened", "Fixed in the next release", "should be restored now", "Removed X and added Y."
_DONE = re.compile(
    r"\b(?:i|we)(?:['’]ve|\s+have)?\s+(?:just\s+|now\s+|already\s+|also\s+)?(?:cancel+ed|"
    r"refunded|removed|added|re-?opened|restored|unblocked|reinstated|updated|corrected|fixed|"
    r"resolved|transferred|approved|deleted|reset|enabled|merged|released|deployed|started|"
    r"granted|processed)\b"
    r"|\b(?:has|have)\s+(?:now\s+|just\s+|already\s+)?been\s+(?:removed|added|re-?opened|restored|"
    r"cancel+ed|refunded|fixed|resolved|transferred|approved|deleted|reset|unblocked|reinstated|"
    r"updated|corrected|merged|released|deployed)\b"
    r"|\b(?:issue|ticket|account|page|subscription|project|access)\s+(?:is\s+|has\s+been\s+)?"
    r"(?:now\s+)?(?:re-?opened|restored|unblocked|reinstated|reactivated)\b"
    r"|\bfixed\s+in\s+(?:the\s+next|the\s+latest|v?\d|version|release)"
    r"|\bshould\s+(?:be\s+)?(?:working|restored|fixed|back|updating|resolved|updated|good)\s+now\b"
    r"|\bshould\s+(?:already\s+|now\s+)?be\s+(?:fixed|resolved|working|good|sorted|available)\b"
    r"|\b(?:released|shipped|deployed|pushed|published|merged)\s+a\s+fix\b"
    r"|\b(?:is|are|['’]s)\s+(?:open|available|back|live|online|up|working)\s+again\b"
    r"|\b(?:i|we)(?:['’]ve|\s+have)\s+gone\s+ahead\s+and\s+(?:\w+\s+)?(?:added|unblocked|"
    r"fixed|restored|reset|removed|enabled|approved|updated|re-?opened)\b"
    r"|(?:^|[.!?]\s+)(?:removed|added|fixed|updated|re-?opened|restored|done)\b",
    re.IGNORECASE,
)
