"""A synthetic ``replylint scan --out DIR`` (schema "1", in the schemas ``replylint.frame``
writes; the README's "Helpdesk archives" section), for the QA report's tests and benchmark.

The replies are short support replies written for these tests (no third-party text); each
template carries the findings and empathy profile a scan gives it (excerpts are real substrings
of the reply, and line/column point at them). Teams lean on different templates and the replies
get better week by week, so breakdowns and trends have something to show.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from replylint.frame import CATEGORIES, FINDINGS_SCHEMA, REPLIES_SCHEMA
from replylint.profile import MOVES

# rule -> (severity, category, message)
RULES: dict[str, tuple[str, str, str]] = {
    "bare-policy": (
        "warning",
        "refusal",
        "Policy used as the reason for a no, without saying how it helps the customer",
    ),
    "no-alternative": (
        "warning",
        "refusal",
        "This says no but offers nothing instead; add an alternative or a next step",
    ),
    "terse-refusal": (
        "warning",
        "refusal",
        'A bare "no" on its own reads as curt; say what you can\'t do and what you can do instead',
    ),
    "no-acknowledgement": (
        "warning",
        "acknowledge",
        "This reply deals with a problem but never acknowledges how the customer feels about it",
    ),
    "scripted-apology": (
        "warning",
        "acknowledge",
        "A stock apology reads as scripted; name what went wrong instead",
    ),
    "non-apology": (
        "warning",
        "acknowledge",
        "This apologises for the customer's feelings, not for what happened",
    ),
    "self-focus": (
        "warning",
        "focus",
        "This is about you, not the customer; keep the focus on their situation",
    ),
    "blame-others": (
        "warning",
        "ownership",
        "Blaming another team or system; own the fix instead",
    ),
    "no-check-back": (
        "info",
        "understanding",
        "This gives a fix or steps but never asks whether it worked; invite the customer to "
        "confirm",
    ),
    "missing-greeting": (
        "info",
        "tone",
        'The reply opens without a greeting; start with "Hi <name>,"',
    ),
    "vague-timeline": (
        "info",
        "clarity",
        "A promise about when with no concrete time; say when",
    ),
}


@dataclass(frozen=True)
class Hit:
    rule: str
    excerpt: str
    suggestion: str | None
    applicability: str | None


@dataclass(frozen=True)
class Template:
    macro: str | None
    text: str
    moves: frozenset[str]
    apology_kind: str | None
    hits: tuple[Hit, ...] = ()
    weight: dict[str, float] = field(default_factory=dict)  # team -> how often it is used


def _t(
    macro: str | None,
    text: str,
    moves: str,
    hits: tuple[Hit, ...] = (),
    apology: str | None = None,
    **weight: float,
) -> Template:
    return Template(macro, text, frozenset(moves.split()), apology, hits, weight)


TEMPLATES = [
    _t(
        "refund-denied",
        "Hi {name},\n\nUnfortunately it's our policy that we can't refund opened items, so I'm "
        "unable to process a return for this order.\n\nRegards,\n{agent}",
        "greets signs_off explains",
        (
            Hit(
                "bare-policy",
                "it's our policy",
                "To keep things fair for every customer, we can't refund opened items, so I'm "
                "unable to process a return for this order.",
                "unsafe",
            ),
            Hit(
                "no-alternative",
                "Unfortunately it's our policy that we can't refund opened items, so I'm unable "
                "to process a return for this order.",
                " What I can do instead is <alternative>.",
                "display-only",
            ),
            Hit(
                "no-acknowledgement",
                "Unfortunately it's our policy that we can't refund opened items, so I'm unable "
                "to process a return for this order.",
                "I'm sorry about <the issue> — I can see why that's frustrating. ",
                "display-only",
            ),
        ),
        billing=3,
        returns=5,
        shipping=0.5,
    ),
    _t(
        "refund-denied",
        "Hi {name},\n\nI'm sorry the blender stopped working after a week, that's really "
        "annoying. Opened items can't be refunded, but I can send you a replacement today and "
        "a prepaid label for the old one.\n\nDoes that work for you?\n\nBest,\n{agent}",
        "greets signs_off acknowledges_feelings apologizes explains offers_next_step "
        "gives_timeline checks_back takes_ownership paraphrases_issue",
        apology="owning",
        billing=1,
        returns=3,
        shipping=1,
    ),
    _t(
        "late-delivery",
        "Hi {name},\n\nYour parcel was delayed at the depot because of the courier's backlog. "
        "It should arrive soon.\n\nThanks,\n{agent}",
        "greets signs_off explains",
        (
            Hit(
                "no-acknowledgement",
                "Your parcel was delayed at the depot because of the courier's backlog.",
                "I'm sorry your parcel was delayed at the depot — I can see why that's "
                "frustrating. ",
                "unsafe",
            ),
            Hit("blame-others", "because of the courier's backlog", None, None),
            Hit(
                "vague-timeline",
                "soon",
                "by <day or date>",
                "display-only",
            ),
        ),
        shipping=5,
        returns=1,
    ),
    _t(
        "late-delivery",
        "Hi {name},\n\nI'm so sorry your order is late, especially with the birthday on "
        "Saturday. I've upgraded it to express and it will reach you by Thursday noon. I'll "
        "check the tracking myself tomorrow and write to you.\n\nIs there anything else I can "
        "help with?\n\n{agent}",
        "greets acknowledges_feelings apologizes explains offers_next_step gives_timeline "
        "checks_back takes_ownership paraphrases_issue",
        apology="owning",
        shipping=4,
        returns=0.5,
    ),
    _t(
        "double-charge",
        "We apologize for any inconvenience. The duplicate payment was caused by a billing "
        "error and has been reversed.",
        "apologizes explains",
        (
            Hit(
                "scripted-apology",
                "We apologize for any inconvenience.",
                "I'm sorry you were charged twice.",
                "unsafe",
            ),
            Hit(
                "missing-greeting",
                "We apologize for any inconvenience.",
                "Hi <name>,\n\n",
                "display-only",
            ),
            Hit(
                "no-check-back",
                "The duplicate payment was caused by a billing error and has been reversed.",
                " Does that work for you? If not, just reply here.",
                "unsafe",
            ),
        ),
        apology="scripted",
        billing=5,
    ),
    _t(
        "double-charge",
        "Hi {name},\n\nYou were charged twice for your plan this month, and I'm sorry about "
        "that — I know it's worrying to see money leave twice. I've refunded the second charge "
        "of $19.00; it will show on your statement within 3 working days. Could you let me know "
        "once you see it?\n\nThanks,\n{agent}",
        "greets signs_off acknowledges_feelings apologizes paraphrases_issue explains "
        "gives_timeline checks_back takes_ownership offers_next_step",
        apology="owning",
        billing=4,
    ),
    _t(
        None,
        "Nope.",
        "",
        (
            Hit(
                "terse-refusal",
                "Nope.",
                "Unfortunately, we're not able to <what> this time — here's what I can do "
                "instead: <alternative>.",
                "display-only",
            ),
            Hit(
                "no-alternative",
                "Nope.",
                " What I can do instead is <alternative>.",
                "display-only",
            ),
            Hit("missing-greeting", "Nope.", "Hi <name>,\n\n", "display-only"),
        ),
        billing=0.6,
        returns=0.8,
        shipping=0.3,
    ),
    _t(
        None,
        "Hi {name},\n\nI'm sorry you feel that way. I've had a terrible week myself with all "
        "the tickets. The order was cancelled by the warehouse team.\n\n{agent}",
        "greets apologizes",
        (
            Hit(
                "non-apology",
                "I'm sorry you feel that way.",
                "I'm sorry that your order was cancelled.",
                "unsafe",
            ),
            Hit("self-focus", "I've had a terrible week myself", "", "unsafe"),
            Hit("blame-others", "cancelled by the warehouse team", None, None),
        ),
        apology="non-apology",
        billing=0.4,
        returns=0.6,
        shipping=1.0,
    ),
    _t(
        "password-reset",
        "Hi {name},\n\nThanks for reaching out. Please click 'Forgot password' on the sign-in "
        "page and follow the link in the e-mail we send you.\n\nBest,\n{agent}",
        "greets signs_off offers_next_step explains",
        (
            Hit(
                "no-check-back",
                "Please click 'Forgot password' on the sign-in page and follow the link in the "
                "e-mail we send you.",
                " Does that work for you? If not, just reply here.",
                "unsafe",
            ),
        ),
        billing=1,
        returns=1,
        shipping=1,
    ),
    _t(
        "password-reset",
        "Hi {name},\n\nBeing locked out right before a deadline is stressful — let's fix it. "
        "I've sent a reset link to your address; it works for the next hour. Let me know if it "
        "doesn't arrive and I'll reset it for you by hand.\n\nCheers,\n{agent}",
        "greets signs_off acknowledges_feelings offers_next_step gives_timeline checks_back "
        "takes_ownership explains",
        billing=1,
        returns=1,
        shipping=1,
    ),
]
TEAMS = {
    "billing": ["Ana", "Bo", "Chidi"],
    "returns": ["Dara", "Eli", "Fumi"],
    "shipping": ["Gus", "Hana"],
}
CUSTOMERS = ["Sam", "Priya", "Jonas", "Mei", "Tomás", "Aiyana", "Kofi", "Lena"]
WEEK0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)  # a Monday


def _position(text: str, excerpt: str) -> tuple[int, int, int, int]:
    start = text.index(excerpt)
    end = start + len(excerpt)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_column = end - (text.rfind("\n", 0, end) + 1) + 1
    return line, column, end_line, end_column


def _keys(with_date: bool) -> list[pa.Field]:
    fields = [pa.field(name, pa.string()) for name in ("ticket_id", "team", "agent", "macro")]
    if with_date:
        fields.append(pa.field("created_at", pa.timestamp("us", tz="UTC")))
    return fields


def replies_schema(with_date: bool = True) -> pa.Schema:
    """The schema `replylint scan` writes (the real one: the fixture cannot drift from it)."""
    return REPLIES_SCHEMA(_keys(with_date))


def findings_schema(with_date: bool = True) -> pa.Schema:
    return FINDINGS_SCHEMA(_keys(with_date))


KEY_NAMES = {"ticket_id", "team", "agent", "macro", "created_at"}
ERRORS = [
    "text is null",
    "text is empty",
    "text is too long (5,242,880 characters; the limit is 1,000,000)",
]


def build_scan_dir(
    out: Path,
    *,
    n_replies: int = 400,
    n_errors: int = 4,
    weeks: int = 8,
    seed: int = 20,
    with_date: bool = True,
    parts: int = 2,
    excerpt_override: dict[str, str] | None = None,
    team_override: str | None = None,
) -> Path:
    """Write ``out/replies/part-0000N.parquet``, ``out/findings/…`` and ``out/_replylint.json``.

    ``excerpt_override`` replaces a rule's excerpt in every finding (to test escaping);
    ``team_override`` renames the first team everywhere.
    """
    rng = random.Random(seed)
    teams = dict(TEAMS)
    if team_override is not None:
        first = next(iter(teams))
        teams = {team_override if t == first else t: a for t, a in teams.items()}
    replies: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    error_rows = set(rng.sample(range(n_replies), min(n_errors, n_replies)))
    team_names = list(teams)
    for i in range(n_replies):
        team = team_names[i % len(team_names)]
        agent = rng.choice(teams[team])
        week = rng.randrange(weeks)
        created = WEEK0 + timedelta(days=7 * week + rng.randrange(7), minutes=rng.randrange(600))
        base_team = next(iter(TEAMS)) if team == team_override else team
        # later weeks lean on the better templates: the coaching is working
        weights = []
        for tpl in TEMPLATES:
            w = tpl.weight.get(base_team, 0.0)
            if not tpl.hits:
                w *= 1 + week / 3
            weights.append(w)
        tpl = rng.choices(TEMPLATES, weights=weights)[0]
        keys: dict[str, Any] = {
            "ticket_id": f"T-{100000 + i}",
            "team": team,
            "agent": agent,
            "macro": tpl.macro,
        }
        if with_date:
            keys["created_at"] = created
        row: dict[str, Any] = {
            **keys,
            "replylint_version": "0.9.0",
            "config_hash": "c0ffee12",
            "schema_version": "1",
            "channel": "auto",
        }
        if i in error_rows:
            row.update(
                language=None,
                error=ERRORS[i % len(ERRORS)],
                n_info=0,
                n_warning=0,
                n_error=0,
                worst_severity=None,
                apology_kind=None,
                findings=[],
                **{f"n_{c}": 0 for c in CATEGORIES},
                **dict.fromkeys(MOVES),
            )
            replies.append(row)
            continue
        text = tpl.text.format(name=rng.choice(CUSTOMERS), agent=agent)
        nested = []
        for hit in tpl.hits:
            severity, category, message = RULES[hit.rule]
            line, column, end_line, end_column = _position(text, hit.excerpt)
            excerpt = (excerpt_override or {}).get(hit.rule, hit.excerpt)
            finding = {
                "rule": hit.rule,
                "severity": severity,
                "category": category,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "excerpt": excerpt,
                "message": message,
                "suggestion": hit.suggestion,
                "applicability": hit.applicability,
            }
            nested.append(finding)
            findings.append({**keys, **finding})
        severities = [RULES[h.rule][0] for h in tpl.hits]
        worst = next((s for s in ("error", "warning", "info") if s in severities), None)
        row.update(
            language="en",
            error=None,
            n_info=severities.count("info"),
            n_warning=severities.count("warning"),
            n_error=severities.count("error"),
            worst_severity=worst,
            apology_kind=tpl.apology_kind,
            findings=nested,
            **{f"n_{c}": sum(RULES[h.rule][1] == c for h in tpl.hits) for c in CATEGORIES},
            **{m: m in tpl.moves for m in MOVES},
        )
        replies.append(row)

    out.mkdir(parents=True, exist_ok=True)
    for name, rows, schema in (
        ("replies", replies, replies_schema(with_date)),
        ("findings", findings, findings_schema(with_date)),
    ):
        folder = out / name
        folder.mkdir(exist_ok=True)
        table = pa.Table.from_pylist(rows, schema=schema)
        step = max(1, -(-len(rows) // parts))
        for p in range(parts):
            pq.write_table(table.slice(p * step, step), folder / f"part-{p:05d}.parquet")
    keep = ["team", "agent", "macro"] + (["created_at"] if with_date else [])
    meta = {
        "schema_version": "1",
        "replylint_version": "0.9.0",
        "config_hash": "c0ffee12",
        "input": "exports/replies-2025-q1.parquet",
        "text_field": "body",
        "customer_field": "customer_message",
        "id_field": "ticket_id",
        "keep": keep,
        "started": "2025-03-03T08:00:00+00:00",
        "finished": "2025-03-03T08:04:12+00:00",
    }
    (out / "_replylint.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out
