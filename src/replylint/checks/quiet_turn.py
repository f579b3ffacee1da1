"""quiet-turn: the reply's questions in a turn where the customer's message complains of nothing;
answer-turn: the whole reply, in a turn where the customer's message answers the writer;
question-turn: the whole reply, when it only asks diagnostic questions mid-thread;
plain-request: the whole reply, a turn answering a request with no trouble in it (directions);
calm-resolution: the whole reply, when it says a calm customer's request is done;
calm-report: the whole reply, when the customer's message is a calm technical report;
calm-question: the whole reply, when the customer's message only asks, calmly, of no trouble.

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
    if customer is None or not _plain_trouble(customer) or _MONEY.search(customer.text):
        return []  # money taken is owed an apology however calmly told ("charged twice")
    if customer.signal("felt-loss") or _AGAIN.search(customer.text):
        return []  # so is a loss or damage ("eggs smashed in my delivery"), or trouble again
    if ctx.signal("refusal") or not _DONE.search(ctx.text):
        return []
    return [ctx.hit(0, len(ctx.text))]


_AGAIN = re.compile(r"\b(?:again|still|another\s+time)\b", re.IGNORECASE)
_MONEY = re.compile(
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


def calm_report(ctx: DocContext) -> list[Hit]:
    """The whole reply, when the customer's message is given and is a calm technical report or
    question ("On kernel 2.6.30.4 with the fbcondecor patch I get FBIOCONDECOR_SETSTATE failed,
    error code 22", "Does uvcvideo export controls via sysfs?"): technical details (see
    ``_technical``) and no word of feeling or impact (no money, loss, repeat, plea, "??",
    ":-(", hours lost, a customer's system down, "stuck"), and the reply brushes nothing off
    (no "works for me", "not a bug", "won't fix", "read the manual"; a factual no to a calm
    question is an answer: "There is no way to turn the LED off"). A peer answering such a report
    owes it no acknowledgement of feelings nor a paraphrase: the report is in the thread
    above (blind reviews 19s and 19t judged no-acknowledgement on such tracker replies fired
    by the channel 69 times, 19u on mailing-list e-mails 35 times; 19r-A judged the tracker
    ones TP-mild; fixed after 19u, not blind). A report that says how it hurts is still owed
    both."""
    customer = ctx.customer_context()
    if customer is None or not _technical(customer.text) or not _calm(ctx, customer.text):
        return []
    return [ctx.hit(0, len(ctx.text))]


def _calm(ctx: DocContext, text: str) -> bool:
    """Whether the customer's message ``text`` says no word of feeling or impact (no money,
    loss, repeat or plea: ``_FELT``) and the reply brushes nothing off. (Not the complaint or
    felt-loss signals: in a report every symptom is one, "failed", "wrong", "every time I
    try", "disconnected"; only words of feeling or impact count.)"""
    return not (
        _MONEY.search(text)
        or _STILL.search(text)
        or _FELT.search(text)
        or _BRUSH_OFF.search(ctx.text)
    )


# trouble again, or a fix that did not take: "again", "still not working", "still the same"
# (not a report's "still" of state: "the splash still shows"; not good news or the writer's
# plan: "automounting seems to be working again", "I'll do it again"; blind review 19w)
_STILL = re.compile(
    r"(?<!\bworking\s)(?<!\bworks\s)(?<!\bfine\s)(?<!\bback\s)(?<!\bit\s)(?<!\bup\s)\bagain\b|\banother\s+time\b|\bstill\s+(?:not|no|doesn['’]?t|does\s+not|don['’]?t|isn['’]?t|"
    r"can['’]?t|cannot|won['’]?t|the\s+same|broken|failing|fails|crashing|crashes|having|getting|"
    r"waiting|nothing)\b",
    re.IGNORECASE,
)
# technical details: a version ("2.6.30", "Python2.4"), a path ("Lib\\site-packages\\x"), a
# file name, code, a shell line, an error code, or the words of a developer's report
_TECH = re.compile(
    r"\b\d+\.\d+\.\d+|\b[A-Za-z]{3,}\d+\.\d+\b|\b\w+\\[\w.-]+\\[\w.-]+"
    r"|\b(?:v|version|kernel|release|rev|build)\s?\d+(?:\.\d+)*\b"
    r"|\b[A-Za-z][\w-]*\s\d+\.\d+(?:-\w+)?\b|~/[\w.-]+|//[\w.-]+/\w"
    r"|(?<![\w:/])/(?:[\w.-]+/)+[\w.-]*|\b[a-z]:\\\w"
    r"|\b\w+\(\)|\b[a-z]+_[a-z_]+\b"
    r"|\b[\w-]+\.(?:c|h|cpp|py|sh|conf|cfg|xml|ini|log|so|ko|rpm|deb|tar|gz|bz2|iso|vbs|exe|dll|"
    r"json|ya?ml|js|ts|java|rb|php|pl|prc|ifo)\b"
    r"|(?m:^[ \t]*[$#][ \t]+\w)"
    r"|\berror(?:\s+code)?\s*[:#]?\s*-?\d+"
    r"|\b(?:errno|segfault|segmentation\s+fault|stack\s?trace|backtrace|traceback|exception|"
    r"ioctl|kernel|drivers?|modules?|compiled?|compiling|config(?:uration)?|debug\w*|patch(?:ed|es)?|"
    r"librar(?:y|ies)|packages?|repository|firmware|api|sdk|plugins?|daemon|terminal|"
    r"command\s+line|source\s+code|makefile|binary|binaries|script|syntax|parameter|"
    r"argument|variable|function|flag|option|linux|debian|ubuntu|gentoo|suse|fedora|centos|"
    r"freebsd|xorg|x11|sysfs|filesystem|usb|rpm|tarball|svn|cvs|git|lib\w+|\w+ctl|mailcap|"
    r"smbclient|xserver|\d+\s?(?:[kmg]b|bytes))\b",
    re.IGNORECASE,
)


def _technical(text: str) -> bool:
    """Whether ``text`` holds technical details: two of them at least (a consumer's "app
    version 4.2.1" alone is no developer's report)."""
    return sum(1 for _ in zip(range(2), _TECH.finditer(text), strict=False)) >= 2


# the customer stuck or lost ("I'm stuck", "we are completely lost"; not a process "stuck in
# autofs_wait" or "lost the LED trigger": blind review 19x)
_ME_STUCK = (
    r"\b(?:i|we)(?:['’]m|['’]re|\s+am|\s+are|\s+was|\s+were|\s+feel|\s+got|['’]ve\s+been|"
    r"\s+have\s+been)\s+(?:\w+\s+)?(?:stuck|lost)\b"
    r"|\blost\s+(?:hours|days|a\s+day|work|data|money)\b"
)
# a word of feeling, urgency or impact in the customer's report: a plea ("Help!", not "thanks
# for any of your help!"), "??", ":-(", hours lost, a customer's system down; someone ignoring
# them (not a flag a program ignores)
_FELT = re.compile(
    r"\bplease\s+help\b|\bhelp\s+(?:me|us)\b|(?<!\byour\s)(?<!\bany\s)(?<!\bthe\s)(?<!\bfor\s)"
    r"(?<!\bof\s)\bhelp\s*!|\?\?|!!|:-?\(|\bfrustrat\w*|\bannoy\w*|"
    r"\bangry\b|\bupset\b|\bdesperate\w*|\burgent\w*|\basap\b|\bhours\b|\bspent\b|"
    r"\b(?:all|whole|entire)\s+(?:day|night|week(?:end)?)\b|" + _ME_STUCK + r"|\bbeyond\s+me\b|"
    r"\bwhat\s+(?:have|did)\s+i\s+(?:done|do)\s+wrong\b|\bg[ai]ve\s+up\b|\bcan(?:no|['’])t\s+stick\b|"
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:customer|client)s?\b|\bcustomer['’]s\b|\bproduction\b|"
    r"\bbreak\s?downs?\b|"
    r"\bdisappoint\w*|\bunacceptable\b|\bridiculous\b|\bterrible\b|\bawful\b|\bhorrible\b|"
    r"\bworst\b|\bsucks?\b|\bhate\b|\bsick\s+of\b|\btired\s+of\b|\bfed\s+up\b|"
    r"\bno\s+(?:response|reply|answer)\b|\bnobody\b|\bignor(?:ed|ing|es)?\s+(?:me|us|my|our)\b|"
    r"\bcomplain\w*|"
    r"\bwill\s+you\s+ever\b|\bdo\s+you\s+(?:even|just)\b|\bdeadline\b|\bcritical\b|"
    r"\bcrazy\b|\bnightmare\b|\bheadache\b|\bworried\b|\bconcerned\b|\bafraid\b|\bunusable\b|"
    r"\buseless\b|\bannoying\b|\bpissed\b|\bwtf\b|\bdamn\w*|\bshit\w*|\bfuck\w*|\bcrap\w*|"
    r"\bridiculous\b|\bembarrass\w*",
    re.IGNORECASE,
)
# the reply brushes the report off: a peer owes that one the acknowledgement still
_BRUSH_OFF = re.compile(
    r"\bworks\s+(?:fine\s+)?for\s+me\b|\bnot\s+a\s+bug\b|\b(?:can(?:no|['’])t|unable\s+to)\s+"
    r"reproduce\b|\brtfm\b|\bread\s+the\s+(?:fine\s+)?(?:manual|docs|documentation|faq)\b|"
    r"\bas\s+(?:i|we)\s+(?:already\s+)?(?:said|explained|mentioned|told)\b|\bfigure\s+(?:it|this|that)?"
    r"\s*out\b|\bgoogle\b|\bnot\s+our\s+(?:problem|issue|fault)\b|\b(?:that|it)(?:['’]s|\s+is)\s+"
    r"your\s+(?:own\s+)?(?:problem|fault)\b|\byou\s+should\s+have\b|\bobviously\b|\bdid\s+you\s+even\b|"
    r"\bwon['’]?t\s+fix\b|\bwontfix\b|\bby\s+design\b|\b(?:working|works)\s+as\s+(?:intended|designed)\b",
    re.IGNORECASE,
)


def calm_question(ctx: DocContext) -> list[Hit]:
    """The whole reply, when the customer's message is given and asks something ("Is it
    possible to …?", "How can I use superior letters?", "Has anyone tried …?") with no word of
    feeling or impact (see :func:`calm_report`) and no trouble of its own (nothing fails,
    breaks, is missing or does not work: not "Where is my parcel? It hasn't arrived"), and the
    reply brushes nothing off. A feature wish or a how-to answered is owed no acknowledgement
    of feelings (blind review 19v judged no-acknowledgement on eight such replies wrong; fixed
    after it, not blind)."""
    customer = ctx.customer_context()
    if customer is None or "?" not in customer.text or _BROKEN.search(customer.text):
        return []
    if not _calm(ctx, customer.text) or ctx.signal("bare-refusal"):
        return []  # (a flat "Unfortunately, no." to a need is still owed it)
    return [ctx.hit(0, len(ctx.text))]


# trouble of the customer's own: something fails, breaks, is lost or late, or does not work
# (not a status question's "known issues", "any bugs"; blind review 19w)
_BROKEN = re.compile(
    r"n['’]t\s+(?:work|arrive|load|start|open|connect|show|play|print|boot|compile|run|install|"
    r"receive|get|find|see|access|log|sign|charge|send)\w*|\bnot\s+(?:working|arrived|loading|"
    r"starting|opening|connecting|showing|playing|printing|booting|compiling|running|received|"
    r"possible\s+to\s+(?:log|sign|access))|\b(?:can(?:no|['’])?t|cant|unable\s+to|won['’]?t|"
    r"wont|couldn['’]?t)\b|\b(?:fail\w*|crash\w*|broken|breaks|broke|errors?|wrong|stuck|"
    r"lost|missing|late|delayed|damaged|hangs?|hung|freez\w*|froze|dies|died|dead|"
    r"disappeared|vanished|deleted|corrupt\w*|refused|rejected|denied|blocked|locked|"
    r"hacked|stolen|never\s+(?:arrived|came|got|received)|weird|strange|odd|"
    r"(?<!\bknown\s)(?<!\bany\s)(?<!\bopen\s)(?<!\boutstanding\s)(?<!\bremaining\s)"
    r"(?:problems?|issues?|trouble|bugs?)|confus\w*|difficult\w*|hard\s+to|never|faulty|fault|wiped|erased|gone)\b"
    r"|\?!|!\?",
    re.IGNORECASE,
)
