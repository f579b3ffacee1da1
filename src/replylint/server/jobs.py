"""A request's drafts as jobs for the worker pool: drafts over the length limit answered at
once, light ones grouped in jobs of a few thousand characters, heavy ones in a job of their own
on the heavy lane, all within the request's time budget."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from .errors import ApiError
from .pool import Lane, Pool, PoolError
from .worker import Item, Outcome, RuleSet, groups, size

HEAVY_CHARS = 2_000  # a draft (with its customer's message) longer than this is heavy
LIGHT_JOB_CHARS = 8_000  # a batch's light drafts go to the workers in jobs of this size …
LIGHT_JOB_DRAFTS = 32  # … or this many drafts


def too_long(items: Sequence[Item], max_draft_chars: int) -> dict[int, Outcome]:
    """The outcome of each item whose draft or customer's message is over the limit."""
    out = {}
    for index, text, customer, _ in items:
        for name, value in (("draft", text), ("customer's message", customer or "")):
            if len(value) > max_draft_chars:
                out[index] = {
                    "error": f"{name} too long: {len(value)} characters; the limit is "
                    f"{max_draft_chars} (replylint serve --max-draft-chars)",
                    "type": "too_long",
                }
                break
    return out


async def lint(
    pool: Pool, rules: RuleSet, items: list[Item], *, timeout: float, max_draft_chars: int
) -> dict[int, Outcome]:
    """Every item's outcome, linted in the workers within the time budget: light drafts
    in jobs of a few thousand characters, heavy ones (longest last) in one job."""
    deadline = asyncio.get_running_loop().time() + timeout
    out = too_long(items, max_draft_chars)
    todo = sorted((item for item in items if item[0] not in out), key=size)
    light = [item for item in todo if size(item) <= HEAVY_CHARS]
    heavy = [item for item in todo if size(item) > HEAVY_CHARS]
    jobs: list[tuple[Lane, list[Item]]] = [
        ("light", group) for group in groups(light, LIGHT_JOB_CHARS, LIGHT_JOB_DRAFTS)
    ]
    if heavy:
        jobs.append(("heavy", heavy))
    try:
        done = await asyncio.gather(*(pool.run(lane, rules, job, deadline) for lane, job in jobs))
    except PoolError as exc:
        raise ApiError(503, f"the linting pipeline failed to load: {exc}") from None
    for part in done:
        out |= part
    return out
