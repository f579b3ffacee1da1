"""Issue 19, item 4: precision on warm replies. Each warm case the issue lists (verbatim, in a
reply of a real register) keeps its rule quiet, and its cold twin, the same reply without the
warm words, still fires it. Also: the paraphrase detector (restates-issue) as the profile
reads it, and a rule file that names an unknown detector."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from replylint.profile import profile
from replylint.rulebook import RuleBookError, load_rulebook

ROOT = Path(__file__).resolve().parents[2]

# (rule that must stay quiet, customer message or None, warm reply, cold twin that must fire)
WARM: list[tuple[str, str | None, str, str]] = [
    # a problem signal needs a problem: good news and happy customers have none
    (
        "no-acknowledgement",
        None,
        "Thanks for your order! Your refund of $20 has been processed and will show on your "
        "card in 3-5 working days.",
        "Unfortunately your refund of $20 has been rejected by the bank.",
    ),
    (
        "no-acknowledgement",
        None,
        "Hi {{ticket.requester.first_name}},\n\nGood news: your cancellation has gone through "
        "and you won't be billed again.\n\n{{agent.name}}",
        "Hi {{ticket.requester.first_name}},\n\nYour order has been cancelled because the "
        "item is out of stock.\n\n{{agent.name}}",
    ),
    (
        "no-acknowledgement",
        "@ChalkCafe ordered the pumpkin loaf for a second time this week, send help 🎃",
        "@907730 Ha! No help needed, that's excellent taste. -Becky",
        "@907730 Ha! No help needed, that's excellent taste. Sadly the loaf is sold out. -Becky",
    ),
    # an acknowledgement includes the short and informal ones
    (
        "no-acknowledgement",
        "@FreshCart eggs smashed in my delivery again",
        "@239970 I'm so sorry. I've refunded them to your card. ^AO",
        "@239970 I've refunded them to your card. ^AO",
    ),
    (
        "no-acknowledgement",
        "my bag came off the carousel with a broken wheel",
        "Oh no! I've sent your photos to our baggage team for a repair voucher.",
        "I've sent your photos to our baggage team for a repair voucher.",
    ),
    (
        "no-acknowledgement",
        "the app deleted all my notes after the update",
        "That's no fun! Your notes are backed up: tap Settings > Restore.",
        "Your notes are backed up: tap Settings > Restore.",
    ),
    (
        "no-acknowledgement",
        "My parcel hasn't arrived and it's been two weeks.",
        "Hi Josie,\n\nSorry about that. I've ordered a replacement for Thursday.\n\nBest,\nEllie",
        "Hi Josie,\n\nI've ordered a replacement for Thursday.\n\nBest,\nEllie",
    ),
    (
        "no-acknowledgement",
        "The app keeps logging me out every five minutes.",
        "Hey Sam! That sounds really annoying. Please update to version 4.2.",
        "Hey Sam! Please update to version 4.2.",
    ),
    (
        "no-acknowledgement",
        "my replacement card hasn't arrived and I'm abroad Friday",
        "Sorry to hear that. I've ordered an express card for Thursday.",
        "I've ordered an express card for Thursday.",
    ),
    # a paraphrase: the reply restates the customer's issue in its own words
    (
        "no-paraphrase",
        "The order I placed for my son's party on Saturday hasn't arrived and it's Friday evening.",
        "Hi Laura,\n\nI'm so sorry your order hasn't arrived in time for the party. I've "
        "booked a same-day courier for tomorrow before 10am.\n\nBest,\nRavi",
        "Hi Laura,\n\nI'm so sorry about that. I've booked a same-day courier for tomorrow "
        "before 10am.\n\nBest,\nRavi",
    ),
    (
        "no-paraphrase",
        "The jacket doesn't fit at all even though I ordered my usual size. Really disappointed.",
        "Hi Kasia,\n\nI can understand how disappointing it is that the jacket doesn't fit. "
        "I've sent you a free returns label.\n\nBest,\nDom",
        "Hi Kasia,\n\nI can understand how disappointing that is. I've sent you a free "
        "returns label.\n\nBest,\nDom",
    ),
    (  # no customer message: an issue-like clause of the customer's own, 40+ words
        "no-paraphrase",
        None,
        "Hi Laura,\n\nI'm so sorry your order hasn't arrived in time for the party. I've "
        "checked, and it's sitting at our Reading depot. I've booked a same-day courier to "
        "bring it to you tomorrow before 10am, at our cost, and I'll text you when the driver "
        "sets off.\n\nBest,\nRavi",
        "Hi Laura,\n\nI'm so sorry about the trouble with this. I've checked, and it's "
        "sitting at our Reading depot. I've booked a same-day courier to bring it to you "
        "tomorrow before 10am, at our cost, and I'll text you when the driver sets off.\n\n"
        "Best,\nRavi",
    ),
    # check-back: any invitation to reply
    (
        "no-check-back",
        "lost my 300-day login streak because your servers crashed",
        "Ugh, I'm sorry. I've restored streaks for everyone affected. Shout if you don't!",
        "Ugh, I'm sorry. I've restored streaks for everyone affected.",
    ),
    (
        "no-check-back",
        None,
        "Sorry about the double charge. I've refunded the second payment. Just reply here if "
        "it hasn't reached you by Friday.",
        "Sorry about the double charge. I've refunded the second payment.",
    ),
    (
        "no-check-back",
        "I've been without internet for 5 days.",
        "Dear Mr Clarke,\n\nI'm sorry. An engineer is booked for 8am tomorrow, and I've "
        "credited your account. I'll call you at 1pm to make sure you're back online.\n\n"
        "Regards,\nBroadband Team",
        "Dear Mr Clarke,\n\nI'm sorry. An engineer is booked for 8am tomorrow, and I've "
        "credited your account.\n\nRegards,\nBroadband Team",
    ),
    (
        "no-check-back",
        None,
        "Please clear your browser cache and log in again. Is it working now?",
        "Please clear your browser cache and log in again.",
    ),
    # DM redirects are a next step, not a fix to check back on
    (
        "no-check-back",
        "@FreshCart eggs smashed in my delivery again",
        "@239970 I'm so sorry. DM us your order number and we'll refund them. ^AO",
        "@239970 I'm so sorry. We'll refund them to your card. ^AO",
    ),
    (
        "no-check-back",
        "@VoltEnergy smart meter reading zero for a week",
        "@560455 Sorry about that! Please send us a DM and we'll reset the meter. ^CB",
        "@560455 Sorry about that! We'll reset the meter. ^CB",
    ),
    # timelines are the writer's own commitments, not wishes
    (
        "vague-timeline",
        None,
        "Thank you for staying with us! We hope to see you soon.",
        "Thank you for staying with us! We'll refund the deposit soon.",
    ),
    (
        "vague-timeline",
        None,
        "Thanks for the details, we look forward to hearing from you soon.",
        "Thanks for the details, we'll get back to you soon.",
    ),
    (
        "vague-timeline",
        "servers down again?? when are they back",
        "@611078 I'm so sorry! We don't have an ETA yet, but we'll post an update as soon as "
        "we can. ^MJ",
        "@611078 I'm so sorry! We'll post an update as soon as we can. ^MJ",
    ),
]


def _rules(linter: Any, text: str, customer: str | None) -> set[str]:
    ((report),) = linter.check_many([(text, customer)])
    return {f.rule for f in report.findings}


@pytest.mark.parametrize(
    ("rule", "customer", "warm", "cold"), WARM, ids=[f"{w[0]}-{n}" for n, w in enumerate(WARM)]
)
def test_warm_reply_is_quiet_and_its_cold_twin_fires(
    linter: Any, rule: str, customer: str | None, warm: str, cold: str
) -> None:
    assert rule not in _rules(linter, warm, customer), warm
    assert rule in _rules(linter, cold, customer), cold


def test_profile_reads_the_short_acknowledgement_and_the_restated_issue(linter: Any) -> None:
    warm = profile(
        "I'm so sorry your order hasn't arrived in time for the party. I've booked a courier.",
        "The order for my son's party hasn't arrived.",
        linter=linter,
    )
    assert warm.acknowledges_feelings and warm.paraphrases_issue
    cold = profile("I've booked a courier for tomorrow.", "My order hasn't arrived.", linter=linter)
    assert not cold.acknowledges_feelings and not cold.paraphrases_issue


def test_a_restatement_needs_the_customers_words_not_any_sentence(linter: Any) -> None:
    """The fix echoing the customer's words is no paraphrase; only an acknowledging sentence
    that restates the issue is."""
    customer = "I was charged twice for my annual plan this month."
    fix = "Hi Priya, sorry about that. I've refunded the second charge for your annual plan."
    assert "no-paraphrase" in _rules(linter, fix, customer)
    restated = "Hi Priya, I'm sorry you were charged twice this month. I've refunded it."
    assert "no-paraphrase" not in _rules(linter, restated, customer)


def test_unknown_detector_in_a_rule_file_is_a_one_line_error(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "rules" / "no-paraphrase.yaml").read_text("utf-8"))
    data["id"] = "my-paraphrase"
    data["require"]["checks"] = ["no-such-check"]
    path = tmp_path / "my-paraphrase.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleBookError) as info:
        load_rulebook(extra_dirs=(tmp_path,))
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message and "unknown check 'no-such-check'" in message
