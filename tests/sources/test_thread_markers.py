"""Threads where the input gives one: the readers' drafts carry the thread markers ("1/2")
structure.py reads, and consecutive drafts numbered in order are one thread (threads.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from replylint.sources import reader_for
from replylint.threads import Thread, thread_marker, threads_of

PART_1 = (
    "@NorthRail @30872 So sorry the 8:05 was cancelled again, that's three mornings running. "
    "I've logged a compensation claim for all three journeys. 1/2"
)
PART_2 = (
    "@NorthRail @30872 You'll get an email with the reference today; let us know if it doesn't "
    "turn up. 2/2 ^DW"
)


def as_csv(delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["ticket", "reply"])
    writer.writerows([["4410", PART_1], ["4411", PART_2]])
    return out.getvalue()


FILES = {
    "replies.csv": as_csv(","),
    "replies.tsv": as_csv("\t"),
    "macros.json": json.dumps([{"title": "a", "body": PART_1}, {"title": "b", "body": PART_2}]),
    "macros.yaml": yaml.safe_dump(
        [{"name": "a", "text": PART_1}, {"name": "b", "text": PART_2}], width=200
    ),
    "SAVED_REPLIES.md": f"# Saved replies\n\n## Rail 1\n\n{PART_1}\n\n## Rail 2\n\n{PART_2}\n",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_collection_format_gives_a_thread(name: str) -> None:
    text = FILES[name]
    drafts = reader_for(name)(name, text, None)
    assert len(drafts) == 2
    markers = {i: m for i, d in enumerate(drafts) if (m := thread_marker(d.text)) is not None}
    assert markers == {0: (1, 2), 1: (2, 2)}
    (thread,) = threads_of(markers)
    assert thread == Thread((0, 1), 1, 2, 2)
    assert not thread.missing_before and not thread.missing_after


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        (PART_1, (1, 2)),
        (PART_2, (2, 2)),  # before the initials
        ("@Acme @991 (2/3) Your new card is on its way.", (2, 3)),  # after the handles
        ("@Acme @991 Your new card is on its way (3/3)", (3, 3)),
        ("Your new card is on its way.\n\nThanks,\nAna\n1/2", (1, 2)),  # alone on the last line
        # not markers: in the text, a date, a fraction, a link, a part past the end
        ("@Acme @991 We've credited 1/2 of the fare back to your card. ^JS", None),
        ("Your appointment on 3/4 is confirmed. Best, Ana", None),
        ("@Acme @991 The guide is at acme.example/help/1/2 ^JS", None),
        ("@Acme @991 Your new card is on its way. 3/2", None),
        ("Your new card is on its way 1/2", None),  # no handles, not on a line of its own
    ],
)
def test_thread_marker_is_what_structure_reads(text: str, marker: tuple[int, int] | None) -> None:
    assert thread_marker(text) == marker


def test_threads_are_consecutive_parts_in_order() -> None:
    # drafts 0-1 a whole thread; 3 a part 1 of 3 whose 2/3 is not next (5), 5 alone; 7-8 the
    # end of a thread without its start; 9-10 a new thread of 2
    markers = {0: (1, 2), 1: (2, 2), 3: (1, 3), 5: (2, 3), 7: (2, 3), 8: (3, 3), 9: (1, 2)}
    markers[10] = (2, 2)
    assert threads_of(markers) == [
        Thread((0, 1), 1, 2, 2),
        Thread((3,), 1, 1, 3),
        Thread((5,), 2, 2, 3),
        Thread((7, 8), 2, 3, 3),
        Thread((9, 10), 1, 2, 2),
    ]
    # a part 2/2 followed by 1/2 starts again; a different total starts again
    assert threads_of({0: (2, 2), 1: (1, 2)}) == [Thread((0,), 2, 2, 2), Thread((1,), 1, 1, 2)]
    assert threads_of({0: (1, 2), 1: (2, 3)}) == [Thread((0,), 1, 1, 2), Thread((1,), 2, 2, 3)]
    assert threads_of({}) == []
