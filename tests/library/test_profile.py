"""The empathy profile in the library: ``Linter.check(...).profile``, the same whether the draft
is linted here, in worker processes or answered from the cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from replylint import Linter
from replylint.evaluate import load_corpus
from replylint.models import DraftReport, Profile
from replylint.profile import MOVES
from replylint.rulebook import load_rulebook

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
WARM = (
    "Hi Dana,\n\nI'm so sorry your parcel is late — that must be frustrating. The courier lost "
    "it because of a mislabelled box, so I've sent a new one today; it will arrive by Friday. "
    "Let me know if it hasn't.\n\nBest,\nSam"
)
COLD = "Nope. It's our policy."


def test_report_profile_of_a_warm_and_a_cold_reply(linter: Linter) -> None:
    warm = linter.check(WARM).profile
    assert warm is not None
    assert warm.acknowledges_feelings and warm.apologizes and warm.apology_kind == "owning"
    assert warm.explains and warm.gives_timeline and warm.checks_back
    assert warm.takes_ownership and warm.offers_next_step and warm.greets and warm.signs_off
    cold = linter.check(COLD).profile
    assert cold is not None
    assert not any(getattr(cold, move) for move in MOVES) and cold.apology_kind is None
    # the channel it was linted for (auto: a plain reply is an e-mail) and its language
    assert (warm.channel, warm.language) == ("email", "en")


def test_apology_kinds(linter: Linter) -> None:
    kinds = [
        r.profile.apology_kind if r.profile else "missing"
        for r in linter.check_many(
            [
                "I'm sorry I sent you the wrong size; I've posted the right one today.",
                "We apologize for any inconvenience this may have caused.",
                "I'm sorry you feel that way.",
                "Your refund was processed on Monday.",
            ]
        )
    ]
    assert kinds == ["owning", "scripted", "non-apology", None]


def test_profile_ignores_the_rule_selection() -> None:
    """The profile is the draft's, not the selected rules': a Linter with one rule selected
    gives the profile every other Linter gives."""
    narrow = Linter(select="terse-refusal").check(WARM)
    assert [f.rule for f in narrow.findings] == []
    assert narrow.profile == Linter().check(WARM).profile


def test_to_json_and_the_model_dump_carry_it(linter: Linter) -> None:
    report = linter.check(WARM)
    assert report.profile is not None
    assert report.to_json()["profile"] == report.profile.model_dump(mode="json")
    dumped = json.loads(report.model_dump_json())
    assert Profile.model_validate(dumped["profile"]) == report.profile
    # a report made by hand has none
    assert (
        DraftReport(text="x").profile is None and DraftReport(text="x").to_json()["profile"] is None
    )


def _profiles(reports: list[DraftReport]) -> list[dict[str, Any]]:
    out = []
    for r in reports:
        assert isinstance(r.profile, Profile)
        out.append(r.profile.model_dump())
    return out


def test_cache_and_jobs_give_the_same_profiles(linter: Linter, tmp_path: Path) -> None:
    cases = load_corpus(CORPUS, load_rulebook())[:96]
    items = [(c.text, c.customer) for c in cases]
    fresh = _profiles(linter.check_many(items))
    assert len({str(p) for p in fresh}) > 10  # the sample covers many different profiles
    cached = Linter(cache_dir=tmp_path)
    assert _profiles(cached.check_many(items)) == fresh  # cold
    assert _profiles(cached.check_many(items)) == fresh  # warm: from the cache
    cached.close()
    parallel = Linter(jobs=2)
    try:
        assert _profiles(parallel.check_many(items)) == fresh
    finally:
        parallel.close()
