"""calm-report: the whole reply, when the customer's message is a calm technical report;
calm-question: the whole reply, when the customer's message only asks, calmly, of no trouble.

A peer answering a developer's calm report, or a how-to or feature question, owes it no
acknowledgement of feelings: the word lists here tell a developer's details (a version, a
path, a log line) and words of feeling or impact ("urgent", "again!", "no response from
anyone") apart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .quiet_turn import MONEY

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Hit


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
        MONEY.search(text)
        or _STILL.search(text)
        or _FELT.search(text)
        or _BRUSH_OFF.search(ctx.text)
    )


# trouble again, or a fix that did not take: "crashed again", "the same error again", "yet
# again", "again!", "writing again", "still not working", "still the same" (not a report's
# "still" of state: "the splash still shows"; not the writer's own doing or good news: "mounted
# it again", "makes things work again"; blind reviews 19w, 19y)
_STILL = re.compile(
    r"\b(?:yet|once)\s+again\b|\bagain\s+and\s+again\b|\bagain\s*[!?]|\b(?:happen\w*|broke|"
    r"broken|down|fail\w*|crash\w*|stopped|stops|froze|freez\w*|hangs?|hung|died|dies|charged|"
    r"billed|late|missing|gone|disappeared|lost|not\s+work\w*|n['’]t\s+work\w*|(?:same|that|this)\s+(?:\w+\s+)?(?:problems?|"
    r"issues?|errors?|crash(?:es)?|bugs?)(?:\s+\w+)?)\s+(?:\w+\s+)?again\b|\b(?:writing|contacting|asking|emailing|calling|"
    r"chasing|reporting|messaging)\s+(?:\w+\s+)?again\b|\banother\s+time\b|\bstill\s+(?:not|no|"
    r"doesn['’]?t|does\s+not|don['’]?t|isn['’]?t|can['’]?t|cannot|won['’]?t|the\s+same|broken|"
    r"failing|fails|crashing|crashes|having|getting|waiting|nothing)\b",
    re.IGNORECASE,
)
# technical details: a version ("2.6.30", "Python2.4"), a path ("Lib\\site-packages\\x", "/etc"), a
# file name, code ("checkKeys(table)", "0x0101"), a shell or log line ("SEALER: TPM: …"), an
# error code, or the words of a developer's report
_TECH = re.compile(
    r"\b\d+\.\d+\.\d+|\b[A-Za-z]{3,}\d+\.\d+\b|\b\w+\\[\w.-]+\\[\w.-]+"
    r"|\b(?:v|version|kernel|release|rev|build)\s?\d+(?:\.\d+)*\b"
    r"|\b[A-Za-z][\w-]*\s\d+\.\d+(?:-\w+)?\b|~/[\w.-]+|//[\w.-]+/\w"
    r"|(?<![\w:/])/(?:[\w.-]+/)+[\w.-]*|\b[a-z]:\\\w"
    r"|(?<![\w:/])/(?:etc|usr|var|tmp|dev|proc|sys|opt|boot|mnt|srv|lib|bin|sbin)\b"
    r"|\b\w+\([\w, .*&]{0,40}\)|\b[a-z]+_[a-z_]+\b|\b0x[0-9a-f]+\b|(?-i:\b[a-z]{2,}[A-Z][a-z]\w*)"
    r"|(?m:^[ \t]*(?!(?:NOTE|UPDATE|EDIT|FYI|URGENT|RE|FWD?|ETA|ASAP|IMPORTANT)\b)"
    r"(?-i:[A-Z][A-Z0-9_]{2,}):[ \t])"
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
    r"smbclient|xserver|u?n?mount(?:ed|ing|s)?|\d+\s?(?:[kmg]b|bytes))\b",
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
    r"(?<!\bof\s)\bhelp\s*!|\?{2,}(?![?\w])|!!|:-?\(|\bfrustrat\w*|\bannoy\w*|"
    r"\bangry\b|\bupset\b|\bdesperate\w*|\burgent\w*|\basap\b|\bhours\b|\bspent\b|"
    r"\b(?:all|whole|entire)\s+(?:day|night|week(?:end)?)\b|" + _ME_STUCK + r"|\bbeyond\s+me\b|"
    r"\bwhat\s+(?:have|did)\s+i\s+(?:done|do)\s+wrong\b|\bg[ai]ve\s+up\b|\bcan(?:no|['’])t\s+stick\b|"
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:customer|client)s?\b|\bcustomer['’]s\b|\bproduction\s+(?:is|was|went|goes)\s+down\b|"
    r"\bdown\s+in\s+production\b|\bproduction\s+(?:outage|incident)s?\b|"
    r"\bbreak\s?downs?\b|"
    r"\bdisappoint\w*|\bunacceptable\b|\bridiculous\b|\bterrible\b|\bawful\b|\bhorrible\b|"
    r"\bworst\b|\bsucks?\b(?!\s+(?:air|in|up|out|the|a|an|it|water|power|current)\b)|\bhate\b|\bsick\s+of\b|\btired\s+of\b|\bfed\s+up\b|"
    r"\bno\s+(?:response|reply|answer)\b(?!\s+(?:is|was|were|are|gets?|got|comes?|came)\b)|\bnobody\b|\bignor(?:ed|ing|es)?\s+(?:me|us|my|our)\b|"
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
    r"\bas\s+(?:i|we)\s+(?:already\s+)?(?:said|explained|mentioned|told)\b(?!\s+(?:\w+\s+)?(?:on|in)\s+"
    r"(?:irc|chat|slack|the\s+(?:call|meeting|chat|other\s+thread)))|\bfigure\s+(?:it|this|that)?"
    r"\s*out\b|\bgoogle\b|\bnot\s+our\s+(?:problem|issue|fault)\b|\b(?:that|it)(?:['’]s|\s+is)\s+"
    r"your\s+(?:own\s+)?(?:problem|fault)\b|\byou\s+should\s+have\b|\bobviously\b|\bdid\s+you\s+even\b|"
    r"\bwon['’]?t\s+fix\b|\bwontfix\b|\bby\s+design\b|\b(?:working|works)\s+as\s+(?:intended|designed)\b",
    re.IGNORECASE,
)


def troubled(text: str) -> bool:
    """Whether ``text`` (a customer's message) says something fails, breaks, is missing or
    does not work (see ``_BROKEN``)."""
    return _BROKEN.search(text) is not None


def calm_question(ctx: DocContext) -> list[Hit]:
    """The whole reply, when the customer's message is given and asks something ("Is it
    possible to …?", "How can I use superior letters?", "Has anyone tried …?") with no word of
    feeling or impact (see :func:`calm_report`) and no trouble of its own (nothing fails,
    breaks, is missing or does not work: not "Where is my parcel? It hasn't arrived"), and the
    reply brushes nothing off. A feature wish or a how-to answered is owed no acknowledgement
    of feelings (blind review 19v judged no-acknowledgement on eight such replies wrong; fixed
    after it, not blind)."""
    customer = ctx.customer_context()
    if customer is None or "?" not in customer.text or troubled(customer.text):
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
    r"wont|couldn['’]?t)\b|\bstuck\b(?!\s+in\s*(?:[,.;]|but\b|and\b))|\berrors?\b(?!\s+(?:frames?|"
    r"handling|counters?|rates?|checking|correction|detection|reporting|bits?|flags?|paths?|"
    r"states?|recovery|injection)\b)|\b(?:fail\w*|crash\w*|broken|breaks|broke|wrong|"
    r"lost|missing|late|delayed|damaged|hangs?|hung|freez\w*|froze|dies|died|dead|"
    r"disappeared|vanished|deleted|corrupt\w*|refused|rejected|denied|blocked|locked|"
    r"hacked|stolen|never\s+(?:arrived|came|got|received)|weird|strange|odd|"
    r"(?<!\bknown\s)(?<!\bany\s)(?<!\bopen\s)(?<!\boutstanding\s)(?<!\bremaining\s)(?<!\bsimilar\s)"
    r"(?<!\baddressed\s)"
    r"(?:problems?|issues?|trouble|bugs?)|confus\w*|difficult\w*|hard\s+to|never|faulty|fault|wiped|erased|gone)\b"
    r"|\?!|!\?",
    re.IGNORECASE,
)
