"""The check-back builder: after the reply's last sentence, invite the customer to say whether
the fix worked; after a refusal or a limit, an invitation to come back with other questions
("Does that work for you?" would ask about what the reply has just refused)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..checks.calm_report import troubled
from ..models import Rule
from ..params import CheckBack, params_of
from ..structure import social_structure
from .edit import edit
from .placement import closing_point

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


# the writer refusing, where the refusal signal may not see it ("… but can't pay for the class")
_REFUSES = re.compile(
    r"\b(?:we|i|we're|i'm|we are|i am)\s+(?:(?:really|just|afraid|sadly)\s+)?"
    r"(?:can't|cannot|can not|unable|not able|won't be able|aren't able)\b"
    r"|(?:\bbut|[,;])\s+(?:we\s+)?(?:can't|cannot|are unable to)\b"
    # whoever it is: "MatGPT cannot fix the issues you have with your account" (review 18l)
    r"|\b(?:can['’]?t|cannot|can not|unable to|not able to)\s+(?:fix|solve|resolve|help\s+with)\b",
    re.IGNORECASE,
)


# the reply limits what it can do, or says the fix is not ours or the customer's own to make
# ("This isn't something we have a work around for", "only the account holder can …", "we'll
# pass your feedback on", "You should modify your question", "billing can't be handled here",
# "Closing this as not a bug"): "I'll take care of it" would promise what the reply says cannot
# be done
_LIMITS = re.compile(
    r"\bcan['’]?t\s+be\s+handled\b|\bclosing\s+(?:this|it)\s+as\b|"
    r"\b(?:is|are)n['’]?t something (?:we|i)\b|\bnot something (?:we|i)\b"
    r"|\bno (?:work ?-?around|way to)\b|\bwork ?-?around\b"
    r"|\b(?:we|i) (?:don['’]t|do not|currently don['’]t) (?:currently )?"
    r"(?:support|offer|allow|have|provide)\b|\b(?:isn['’]t|is not|aren['’]t|are not|not) "
    r"(?:currently )?(?:supported|available|possible)\b"
    r"|\baccount holder\b|\bin order to (?:ensure|protect|verify)\b|\bonly (?:for|the|be)\b"
    r"|\b(?:pass|share|add|forward|log|note)(?:ed)? (?:on )?(?:your|this|the) "
    r"(?:feedback|suggestion|idea|request)\b|\bfeature request\b"
    r"|\b(?:outside|beyond) (?:of )?(?:our|my) control\b|\bdo not (?:copy|post|share)\b"
    r"|\bbelongs (?:in|on|to)\b|\byou (?:should|must|will need to|'ll need to) (?:modify|edit|"
    r"update|change|contact|reach)\b|\b(?:please |you (?:will |['’]ll )?(?:need to |have to |"
    r"should |can )?)(?:contact|reach out to|get in touch with) "
    r"(?:your|the|their)\b"
    # what cannot be undone ("deleted accounts cannot be recovered", "permanently closed")
    r"|\bcan(?:not|['’]t| not) be (?:recovered|restored|reactivated|reopened|undone|reversed|"
    r"retrieved|reinstated)\b|\bpermanently (?:deleted|closed|removed|cancell?ed)\b"
    r"|\b(?:is|are) (?:irreversible|permanent|final)\b"
    # no refund owed ("there is no refund due", "Payments are nonrefundable"; blind review 18i)
    r"|\bno (?:refund|credit|compensation)s? (?:is |are )?(?:due|owed|possible|available)\b"
    r"|\bnon-?refundable\b",
    re.IGNORECASE,
)
# a fix or steps the customer can say worked or not: an instruction ("Tap Settings …", "please
# navigate to …"), a "you can …", or a fix made or promised by the writer ("I've reset it")
_STEP = re.compile(
    # "To reset your password, go to Settings": an instruction after a purpose clause
    r"(?:^|[.!?]\s+)(?i:to)\s[^,.!?\n]{1,60},\s+(?P<purposed>[a-z-]+)\b"
    r"|(?:^|[.!?:]\s+|\n\s*(?:[-*•]|\d+[.)])?\s*)(?:(?i:please|just|simply|first|then|next|now|"
    r"finally|also|so),?\s+)?(?P<verb>[A-Za-z-]+)\b"
    r"|\b(?i:please|then|and then)\s+(?P<asked>[A-Za-z-]+)\b(?! up\b)",
    re.MULTILINE,
)
_STEPS = frozenset(
    [
        "try",
        "go",
        "click",
        "choose",
        "restart",
        "update",
        "reset",
        "open",
        "select",
        "tap",
        "log",
        "sign",
        "enter",
        "clear",
        "delete",
        "uninstall",
        "reinstall",
        "install",
        "follow",
        "visit",
        "navigate",
        "turn",
        "switch",
        "press",
        "hold",
        "unplug",
        "plug",
        "download",
        "copy",
        "paste",
        "scroll",
        "refresh",
        "reboot",
        "close",
        "head",
        "use",
        "run",
        "type",
        "re-enter",
        "disconnect",
        "reconnect",
        "insert",
        "remove",
        "empty",
        "check",
        "call",
        "send",
        "text",
        "take",
        "pop",
        "drop",
        "return",
        "print",
        "attach",
        "upload",
        "scan",
        "charge",
        "leave",
        "keep",
        "add",
        "upgrade",
        "downgrade",
        "enable",
        "disable",
        "make",
        "set",
        "change",
        "contact",
        "find",
        "look",
        "swipe",
        "toggle",
        "allow",
        "confirm",
        "verify",
        "submit",
        "apply",
        "book",
        "power",
    ]
)
_FIX = re.compile(
    r"\byou (?:(?:simply|just|only|then|now|first) )?(?:can|could|may|might|should|will need "
    r"to|need to|['’]ll need to|['’]ll want to)\b"
    r"|\b(?:i|we)(?:['’]ve| have)\s+(?:just |now |also |already )?\w+ed\b"
    r"|\b(?:i|we)(?:['’]ve| have)\s+(?:just |now |also |already )?(?:sent|reset|set|made|put|"
    r"given|resent|rebuilt)\b"
    r"|\b(?:i|we)(?:['’]ll| will)\s+(?:now |also )?(?:refund|reverse|reset|replace|resend|send|"
    r"fix|restore|unlock|credit|cancel|rebook|update|correct|change|remove|add|issue|arrange|"
    r"book|apply|waive|process|reissue|escalate|clear|upgrade|extend|enable|restart|"
    r"reschedule|ship|dispatch)\b"
    r"|\b(?:is|are|has been|have been|['’]s|['’]re) (?:now )?(?:fixed|resolved|restored|"
    r"refunded|credited|cancell?ed|updated|corrected|back up|active|unlocked|on (?:its|their) "
    r"way)\b",
    re.IGNORECASE,
)


def _steps(text: str) -> set[str]:
    """The instructions' verbs in ``text``."""
    verbs = {
        (m.group("verb") or m.group("asked") or m.group("purposed") or "").lower()
        for m in _STEP.finditer(text)
    }
    return verbs & _STEPS


def _gives_fix(text: str) -> bool:
    """Whether the reply gives a fix or steps the customer can say worked or not."""
    return _FIX.search(text) is not None or bool(_steps(text))


def _redirects(text: str) -> bool:
    """Whether a social reply's next step is a redirect (a DM; a link, a form or "click here"
    with no step of its own besides following it), not a fix to check back on."""
    if _DM.search(text):
        return True
    if _FIX.search(text):  # a fix made ("I've reset your order"), and a link to follow it
        return False
    return _REDIRECT.search(text) is not None and _steps(text) <= _FOLLOW


def _asks_calmly(customer: DocContext | None) -> bool:
    """Whether the customer's message asks a question and complains of nothing: no complaint,
    and no trouble told outside its questions ("Would the tasks fail once …?" asks; "The tasks
    fail. Why?" tells)."""
    if customer is None or "?" not in customer.text or customer.signal("complaint"):
        return False
    told = (s.text for s in customer.sents if not s.text.rstrip().endswith("?"))
    return not any(troubled(said) for said in told)


# steps that only look at something: the customer reports back what they find
_LOOKS = frozenset(["check", "look", "verify", "inspect", "compare", "see"])
_QUOTE = re.compile(r'"[^"\n]{0,300}"|“[^”\n]{0,300}”')
_FOLLOW = frozenset(
    ["use", "click", "visit", "follow", "go", "head", "contact", "send", "tap", "check"]
)
_DM = re.compile(r"\b(?:dm|dms|direct message|private message|inbox)\b", re.IGNORECASE)


# a redirect on a social reply (to a DM, a link, a form): a next step, not a fix to check back
# on, and "reply here" would undo the move out of the public thread
_REDIRECT = re.compile(
    r"\b(?:click here|(?:the|this|that|following) link|link (?:below|above)|form)\b"
    r"|https?://|www\.",
    re.IGNORECASE,
)


def check_back(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    texts = params_of(rule, CheckBack)
    original = ctx.masked.original
    social = social_structure(original).handles
    said = _QUOTE.sub('""', ctx.text)  # (what a quoted message says is not the reply's fix)
    if not _gives_fix(said):
        return []  # an explanation, an apology, a notice, a brand tweet: nothing to check
    if social and _redirects(ctx.text):
        return []  # a DM, a link, a form: a next step, not a fix
    refuses = (
        bool(ctx.signal("refusal"))
        or _REFUSES.search(ctx.text) is not None
        or _LIMITS.search(ctx.text) is not None
    )
    text = texts.after_refusal if refuses else texts.text
    if not refuses and _FIX.search(said) is None:
        if _steps(said) <= _LOOKS:
            text = texts.after_diagnosis  # "Please check the assoc status": what do they see?
        elif _asks_calmly(ctx.customer_context()):
            text = texts.after_answer  # an explanation answers the question; nothing was fixed
    at = ctx.sentence_span(hit.sent)[1]
    # at the end of the reply's body (before the sign-off, the initials, quoted text): never
    # after step 1 of a list or before the link line that ends the body
    closing = closing_point(ctx.text)
    if closing > at and not _SIGNATURE.fullmatch(ctx.text, at, closing):
        at = closing  # (not past a tweet's "-KB" the masked text keeps)
    # never past the closing structure of the draft as typed ("… ^MC <link>", "… Phil."), which
    # the masked text may keep in part
    end = closing_point(original)
    while at > 0 and ctx.masked.offsets.span_to_original(at - 1, at)[1] > end:
        at -= 1
    while at > 0 and ctx.text[at - 1].isspace():
        at -= 1
    initials = _INITIALS_BEFORE.search(ctx.text, 0, at)
    if initials is not None:  # "… nicht. ^TK" ending a paragraph: the question goes before them
        at = initials.start()
    line = ctx.text[ctx.text.rfind("\n", 0, at) + 1 : at]
    if _CUT_OFF.search(line):
        return []  # the text stops mid-clause ("… in the form of \"): nothing to append to
    if _pasted(ctx.text, at):
        return []  # a pasted session or code ends the body: "Value is: 450. Does that …" would
        # change its output (blind review 18q; fixed after it, not blind)
    if _COMMAND.match(line):  # "$ sudo lssu -l", an indented command: a paragraph of its own
        lead = "\n\n"  # (gluing the question on would change the command; blind review 18t)
    elif _LINK_LINE.fullmatch(line) or (not social and _LINK_AT_END.search(line)):
        lead = "\n"  # after a link that ends its line: the question on a line of its own (18t)
    elif (
        at > 0
        and ctx.text[at - 1].isalnum()
        and not _LINK_END.search(line)
        and not any(ps < at <= pe for ps, pe in ctx.masked.placeholders)
    ):  # "Check the deleted folder" + ". Does …" (not after a link or a placeholder)
        lead = ". "
    else:
        lead = " "
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    if at > 0 and ctx.masked.edit_to_original(at, at)[0] > end:
        # an insertion there would land after what the masker dropped ("… again. ^MC <link>"):
        # the last character is replaced with itself and the question, which stays before it
        return [edit(at - 1, at, ctx.text[at - 1] + lead + text, desc, app)]
    return [edit(at, at, lead + text, desc, app)]


# a line of code or of a terminal session: a prompt ("$ make", "[me at box ~]$ java -jar x",
# ">> Welcome"), a statement ending in ";", "{" or "}", an assignment ("$x = 45 * 10;")
_CODE_LINE = re.compile(
    r"^\s*(?:[$#%]\s|>>|\[[^\]\n]{1,60}\][$#%])|[;{}]\s*$|^\s*[$@]?\w+(?:\.\w+)*\s*=\s*\S"
    r"|^\s*(?:return|def|if|else|elif|for|while|import|print|println)\b[^.!?]*$",
    re.MULTILINE,
)


def _pasted(text: str, at: int) -> bool:
    """Whether the paragraph that ends at ``at`` holds code or a terminal session (two such
    lines at least): the body ends in what was pasted, not in the writer's prose."""
    start = text.rfind("\n\n", 0, at)
    return len(_CODE_LINE.findall(text, start + 1 if start >= 0 else 0, at)) >= 2


# a reply cut off mid-clause: a line ending in a backslash, a comma or colon, or a word that
# cannot end a sentence (blind review 18h; fixed after it, not blind)
_CUT_OFF = re.compile(r"(?:[\\,:;(&+\-–—]|\b(?:of|the|a|an|and|or|your|our|their|its))\s*\Z")
_SIGNATURE = re.compile(r"\s*[-–—~^*]\s?[A-Za-z][\w.]{0,15}(?:\s[A-Z][\w.]{0,15})?\s*")
_INITIALS_BEFORE = re.compile(r"(?<=[.!?])[ \t]+[\^*~][ \t]?[A-Za-z]{1,12}\Z")
_LINK_END = re.compile(r"(?:://|www\.|/)\S*$")
_COMMAND = re.compile(r"(?:[ \t]{2,}|\t)\S|\s*[$#%]\s+\S")
_LINK_AT_END = re.compile(r"(?:https?://|www\.)\S+\s*\Z")
_LINK_LINE = re.compile(r"\s*(?:[-*•]\s*)?(?:<?https?://|www\.)\S+\s*")
