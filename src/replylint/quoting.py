"""What the agent did not write in a draft: quoted mail ("> …"), its attribution ("On …
wrote:", in the mailers' languages), an Outlook header block or "-----Original Message-----" and
all below it, a signature below "-- ", a footer below a rule of underscores, an elision mark.
Their spans are masked out of what the rules read (placeholders.mask), in every input format.
"""

from __future__ import annotations

import itertools
import re

# "wrote" in the mailers' languages ("schrieb", "a écrit", "ha scritto", "schreef")
_WROTE = (
    r"wrote|writes|schrieb|a\s+[ée]crit|escribió|scrisse|(?:ha\s+)?scritto|schreef|skrev|escreveu"
)
# "On Mon, 4 Sep 2006, Bob <bob@x.org> wrote:" (it may wrap over two lines)
ATTRIBUTION = re.compile(r"^\s*On\s.{0,300}\bwrote:\s*$", re.IGNORECASE)
ATTRIBUTION_START = re.compile(r"^\s*(?:On|Am|Le|El|Il|Op)\s.{0,200}$", re.IGNORECASE)
ATTRIBUTION_END = re.compile(rf"^.{{0,200}}\b(?:told|{_WROTE}):\s*$", re.IGNORECASE)
# other mailers' attributions, a line of its own ending in a colon: "* Lloyd Z <ljz at x.com>
# [2005-05-01 10:00]:", "2009/8/21 rglujing <r at x.com>:", "Bob Smith schrieb:", "Quoting
# Bob:", "On Mon, 04 Sep 2006 the mental interface of Bob told:" (blind review 19u: findings
# were anchored on them, rewrites glued to them)
_ADDRESS = r"<[^<>\s]+(?:@|\s+at\s+)[^<>\s]+>"
_OTHER_ATTRIBUTION = re.compile(
    rf"^[ \t]*(?:\*[ \t]+.{{0,120}}{_ADDRESS}.{{0,60}}"
    rf"|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}.{{0,120}}{_ADDRESS}"
    rf"|.{{0,160}}{_ADDRESS}[ \t]*(?:\[[^\]\n]{{0,60}}\])?[ \t]*(?:said|{_WROTE})?"
    rf"|(?:on|am|le|il|op)\s.{{0,200}}\b(?:told|{_WROTE})"
    rf"|.{{0,120}}\b(?:19|20)\d\d\b.{{0,120}}\b(?:told|{_WROTE})"
    rf"|(?:am|le|el)\s.{{0,200}}\b(?:schrieb|a\s+[ée]crit|escribió)\b.{{0,80}})[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
# a name alone on its line, and the address and "writes:" wrapped onto the next
_NAME = re.compile(r"[ \t]*[\"']?[A-ZÀ-Þ][\w'’.-]*(?:[ \t]+[A-ZÀ-Þ][\w'’.-]*){0,4}[\"']?[ \t]*")
_ADDRESS_WROTE = re.compile(rf"[ \t]*{_ADDRESS}[ \t]*(?:{_WROTE})[ \t]*:[ \t]*$", re.IGNORECASE)
# "[Antonio Rossi, 2008-09-18]": a name and a date in brackets, alone on its line (blind
# review 19w: a finding was anchored on it)
_BRACKET = re.compile(
    r"^[ \t]*\[[^\]\n]{1,80}\b(?:19|20)\d\d[-/.]\d\d?[-/.]\d\d?\b[^\]\n]{0,30}\][ \t]*:?[ \t]*$"
)
# "Bob Smith wrote:", "Quoting Bob:", a date and a time in a language the archive garbled
# ("? ???, 19/08/2007 ? 21:12, Sa?a ?????:"; blind review 18r): only above quoted lines
_BARE_ATTRIBUTION = re.compile(
    rf"^[ \t]*(?:quoting\s.{{1,80}}|[^\s:][^:\n]{{0,80}}\s(?:{_WROTE})|"
    r".{0,60}\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b.{0,80}\b\d{1,2}:\d{2}\b.{0,80})"
    r"[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
# "-----Original Message-----", "--- Forwarded message ---", "-----Original-Nachricht-----",
# "-----Ursprüngliche Nachricht-----": the quoted history below it
SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:Original[ -]Message|Forwarded[ -]message|Original-Nachricht|"
    r"Urspr(?:ü|ue)ngliche\s+Nachricht|Message\s+d'origine)\s*-{2,}\s*$",
    re.IGNORECASE,
)
HEADER_FROM = re.compile(r"^\s*\**From:\**\s", re.IGNORECASE)
HEADER_NEXT = re.compile(r"^\s*\**(?:Sent|Date|To|Subject|Cc):\**\s", re.IGNORECASE)
# a rule above a footer: "____ / Do You Yahoo!? Tired of spam? …" (blind review 19w)
_FOOTER_RULE = re.compile(r"^[ \t]*_{10,}[ \t]*$")
# a line that only marks an elision in a quote: "[snip]", "[...]", "<snip>", "..." (blind
# review 18t: an apology went on it)
_ELISION = re.compile(
    r"^[ \t]*(?:\[\s*(?:snip(?:ped)?|\.\.\.|…)\s*\]|<\s*snip\s*>|\.{3,}|…)[ \t]*$", re.I
)
# the marks one of those needs (most drafts have none and are passed over at once)
_QUOTED_MARKS = re.compile(r"(?m)^[ \t]*(?:[A-Za-z]{0,4}>|--|\[|<|\**From:|_{10})|:[ \t]*$", re.I)


# a Supercite quote prefix, the quoted writer's initials before the mark: "MAV> I'd been
# using …" (blind review 19v: linted as the reply)
_INITIALS = re.compile(r"[A-Za-z]{1,4}(?=>(?:\s|>|$))")


def quote_depth(line: str) -> tuple[int, str]:
    """How deeply ``line`` is quoted with ``>`` marks (a Supercite "MAV>" among them), and its
    text without them."""
    depth = 0
    rest = line.lstrip()
    initials = _INITIALS.match(rest)
    if initials is not None:
        rest = rest[initials.end() :]
    while rest.startswith(">"):
        depth += 1
        rest = rest[1:]
        rest = rest[1:] if rest.startswith(" ") else rest
        if rest.lstrip(" ").startswith(">"):
            rest = rest.lstrip(" ")
    return depth, rest


def attribution(line: str, following: str | None) -> int:
    """1 or 2 when an attribution of quoted mail starts at ``line`` ("On <date>, <name>
    wrote:", which may wrap onto ``following``, or another mailer's; "Bob wrote:" only when
    ``following`` is quoted), else 0."""
    if ATTRIBUTION.match(line) or _OTHER_ATTRIBUTION.match(line) or _BRACKET.match(line):
        return 1
    if following is not None and quote_depth(following)[0] and _BARE_ATTRIBUTION.match(line):
        return 1
    if following is not None and _NAME.fullmatch(line) and _ADDRESS_WROTE.match(following):
        return 2  # "Sebastiao Amaro" / "<sa@x.org> writes:" (blind review 19z)
    wraps = following is not None and ATTRIBUTION_START.match(line) is not None
    if (
        wraps
        and ATTRIBUTION_END.match(following or "")
        and not ATTRIBUTION_START.match(following or "")
    ):
        return 2
    return 0


def header_block(rows: list[str], k: int) -> bool:
    """An Outlook-style "From: … / Sent: … / To: …" header of a quoted message at row ``k``."""
    return (
        HEADER_FROM.match(rows[k]) is not None
        and sum(1 for line in rows[k + 1 : k + 4] if HEADER_NEXT.match(line)) >= 2
    )


def _footer(rows: list[str], k: int) -> bool:
    """Whether the underscore rule at row ``k`` starts a footer: at most eight lines up to the
    end or to quoted mail (not a rule between sections of a macro)."""
    after = itertools.takewhile(lambda line: not quote_depth(line)[0], rows[k + 1 :])
    return sum(1 for line in after if line.strip()) <= 8


def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The spans of ``text`` its writer did not write as the reply, in text order: quoted lines
    ("> …"), their attribution, an elision mark ("[snip]"), a signature below "-- " or a mail
    footer below a rule of underscores (up to any quoted history after it), and everything
    from an "-----Original Message-----" separator or an Outlook header block on. Each span
    is a line's text without its line break (the text around it still ends its sentence
    there). Masked out of what the rules read (placeholders.mask), in every input format and
    through the library."""
    if not _QUOTED_MARKS.search(text):
        return ()
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    rows = [
        text[s : (starts[i + 1] - 1 if i + 1 < len(starts) else len(text))]
        for i, s in enumerate(starts)
    ]
    rows = [r[:-1] if r.endswith("\r") else r for r in rows]
    spans: list[tuple[int, int]] = []

    def drop(k: int) -> None:
        if rows[k].strip():
            spans.append((starts[k], starts[k] + len(rows[k])))

    signature = False
    k = 0
    while k < len(rows):
        line = rows[k]
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if SEPARATOR.match(line) or header_block(rows, k):
            for j in range(k, len(rows)):
                drop(j)
            break
        if line.rstrip(" \t") == "--" or (_FOOTER_RULE.match(line) and _footer(rows, k)):
            signature = True
        depth = quote_depth(line)[0]
        span = 0 if depth else attribution(line, nxt)
        if not (depth or span) and nxt is not None and not nxt.strip():
            # "Bob wrote:", a blank line, then the quote
            after = next((r for r in rows[k + 1 :] if r.strip()), None)
            span = 1 if after is not None and attribution(line, after) == 1 else 0
        if depth or span:
            signature = False
            for j in range(k, k + max(span, 1)):
                drop(j)
            k += max(span, 1)
            continue
        if signature or _ELISION.match(line):
            drop(k)
        k += 1
    return tuple(spans)


def quotes_mail(text: str) -> bool:
    """Whether ``text`` quotes mail: a "> …" line, or an attribution ("On … wrote:", "* Bob
    <bob at x.org>:")."""
    if not _QUOTED_MARKS.search(text):
        return False
    rows = text.splitlines()
    return any(
        quote_depth(line)[0] or attribution(line, rows[k + 1] if k + 1 < len(rows) else None)
        for k, line in enumerate(rows)
    )
