"""The draft size limit (config ``max-draft-chars``): drafts over it are not linted."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sources.base import Draft


class DraftTooLarge(ValueError):
    """A draft (or its customer's message) is over the configured ``max-draft-chars``; the
    message is one line naming the draft."""


def too_large(draft: Draft, limit: int) -> str | None:
    """Why ``draft`` is not linted under the size limit ``limit`` (0: none), or None."""
    if not limit:
        return None
    name = f"draft {draft.title!r}" if draft.title else "the draft"
    for what, text in ((name, draft.text), (f"the customer message of {name}", draft.customer)):
        if text is not None and len(text) > limit:
            return (
                f"{what} has {len(text):,} characters, over the limit of {limit:,} "
                "(max-draft-chars): not linted"
            )
    return None
