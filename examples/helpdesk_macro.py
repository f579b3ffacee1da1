#!/usr/bin/env python3
"""A macro-send hook for a helpdesk, built on replylint's library API.

Helpdesks let an app run code when an agent sends a reply or applies a macro (a Zendesk app, a
Freshdesk or Help Scout integration, a Front plugin …). This hook lints the reply against the
customer's message before it goes out: a finding at ``warning`` or above blocks the send, and
the agent sees each finding with its suggestion, and the whole reply rewritten to start from
(``<slots>`` mark what only the agent can fill in).

Run it with the built-in sample (it is blocked)::

    python examples/helpdesk_macro.py

or on your own reply and the customer's message; ``--json`` prints what an app would send back::

    python examples/helpdesk_macro.py --draft reply.txt --customer message.txt --json

Exit status: 0 when the reply may be sent, 1 when it is blocked.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replylint import DraftReport, Finding, Linter, Severity

SAMPLE_CUSTOMER = "I was charged twice for my plan this month and I need the second payment back."
SAMPLE_DRAFT = """Hi Dana,

Unfortunately, it's our policy that refunds take 10 working days. Nope, I can't speed that up.

Thanks,
Sam
"""


@dataclass(frozen=True)
class Decision:
    """What the hook tells the helpdesk: send or not, and what to show the agent."""

    allowed: bool
    blocking: list[Finding]  # at or above the blocking severity
    notes: list[Finding]  # below it: shown, never blocking
    rewrite: str  # the reply with every finding's first suggestion applied
    report: DraftReport

    def to_json(self) -> dict[str, Any]:
        """JSON for the helpdesk app: the decision, and the report in replylint's schema."""
        return {
            "allowed": self.allowed,
            "blocking": [f.rule for f in self.blocking],
            "report": self.report.to_json(),
        }


class MacroSendHook:
    """Call it with the reply and the customer's message; one Linter serves every call."""

    def __init__(self, linter: Linter | None = None, block_at: Severity = Severity.WARNING):
        self.linter = linter if linter is not None else Linter()  # loads spaCy once
        self.block_at = block_at

    def __call__(self, draft: str, customer_message: str | None = None) -> Decision:
        return self._decide(self.linter.check(draft, customer=customer_message))

    def review_many(self, replies: Iterable[tuple[str, str | None]]) -> list[Decision]:
        """Many (reply, customer message) pairs at once: batched through the pipeline."""
        return [self._decide(r) for r in self.linter.check_many(list(replies))]

    def _decide(self, report: DraftReport) -> Decision:
        blocking = [f for f in report.findings if f.severity.rank >= self.block_at.rank]
        notes = [f for f in report.findings if f.severity.rank < self.block_at.rank]
        return Decision(not blocking, blocking, notes, report.rewritten(), report)


def render(decision: Decision) -> str:
    """The message the agent sees in the helpdesk's sidebar."""
    if decision.allowed and not decision.notes:
        return "OK to send: no findings.\n"
    out = []
    if decision.allowed:
        out.append(f"OK to send, with {len(decision.notes)} note(s):")
    else:
        out.append(f"Blocked: {len(decision.blocking)} finding(s) to fix before sending.")
    for f in decision.blocking + decision.notes:
        out.append(f"- line {f.line}, column {f.column}: {f.rule} ({f.severity.value})")
        out.append(f"  {f.message}")
        out.append(f"  “{f.excerpt}”")
        if f.suggestions:
            s = f.suggestions[0]
            out.append(f"  → {s.description} ({s.applicability.words})")
    if decision.blocking:
        out.append("")
        out.append("Suggested rewrite (fill in any <slots>):")
        out.append(textwrap.indent(decision.rewrite.rstrip("\n"), "    "))
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--draft", type=Path, help="the reply (default: a built-in sample)")
    parser.add_argument("--customer", type=Path, help="the customer's message it answers")
    parser.add_argument("--json", action="store_true", help="print the decision as JSON")
    args = parser.parse_args(argv)

    draft = args.draft.read_text(encoding="utf-8") if args.draft else SAMPLE_DRAFT
    if args.customer:
        customer: str | None = args.customer.read_text(encoding="utf-8")
    else:
        customer = None if args.draft else SAMPLE_CUSTOMER

    decision = MacroSendHook()(draft, customer)
    if args.json:
        print(json.dumps(decision.to_json(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render(decision))
    return 0 if decision.allowed else 1


if __name__ == "__main__":
    sys.exit(main())
