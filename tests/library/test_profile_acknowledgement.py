"""How well the profile's ``acknowledges_feelings`` separates acknowledgements from the rest, on
sentences written for this check (not taken from the rule book's examples or the corpus):
acknowledgements in varied wording, formal and informal, and non-acknowledgements, scripted
apologies among them.

The profile reads the signal ``acknowledgement`` (rules/_signals.yaml), less scripted
apologies; this measures it rather than tunes it. The floors are the figures measured when the
check was written (accuracy 0.77, precision 0.88, recall 0.62: the misses are informal or
indirect wordings the signal's phrase list does not hold); raise them as the signal improves.
Run with ``-s`` to see the table.
"""

from __future__ import annotations

from replylint import Linter

ACKNOWLEDGEMENTS = [
    "I can only imagine how stressful this has been.",
    "That sounds really frustrating, and I'm sorry you've had to deal with it.",
    "I completely understand why you're upset.",
    "It's totally understandable that you'd be annoyed after waiting so long.",
    "I know how inconvenient it is to be without your laptop for a week.",
    "That must have been so disappointing on your birthday.",
    "I hear you — being charged twice is maddening.",
    "You have every right to be frustrated.",
    "What a hassle — I'd be annoyed too.",
    "I can see how confusing the new invoice layout is.",
    "It's no fun waiting on a delivery that never shows up.",
    "I understand how worrying it is to see an unexpected charge.",
    "Ugh, that's so annoying!",
    "I totally get it, that would drive me mad as well.",
    "I appreciate how frustrating it is to repeat your story to several agents.",
    "That's a really rough start to your holiday, and I'm sorry.",
    "Oh no, I'm so sorry to hear that!",
    "I can tell this has caused you a lot of stress.",
    "Your frustration makes complete sense.",
    "It must be exhausting to keep chasing this.",
    "I'm sorry you've been left waiting without any update — that's not okay.",
    "That's not fun at all.",
    "I'd feel the same way in your shoes.",
    "How upsetting to find the parcel soaked through.",
]
OTHERS = [
    "We apologize for any inconvenience this may have caused.",
    "Sorry for the inconvenience.",
    "We regret any inconvenience caused.",
    "We apologise for any trouble.",
    "Apologies for any confusion.",
    "We are sorry for any inconvenience caused by the outage.",
    "We sincerely apologize for the inconvenience.",
    "Sorry for the wait.",
    "I'm sorry you feel that way.",
    "Your refund has been processed and should appear within 5 business days.",
    "Please restart the router and try again.",
    "Our policy does not allow returns after 30 days.",
    "Thank you for contacting customer support.",
    "Your ticket number is 48213.",
    "I have forwarded your request to the billing team.",
    "Please find the attached invoice.",
    "The order was shipped on Monday via standard post.",
    "You can change your password under Settings > Security.",
    "Let me know if there's anything else I can help with.",
    "Thanks for your patience.",
    "Unfortunately we cannot offer a discount on this item.",
    "Have a great weekend!",
    "The feature you mentioned is on our roadmap.",
    "Happy to help!",
]


def test_acknowledges_feelings_on_labelled_sentences(linter: Linter) -> None:
    assert len(ACKNOWLEDGEMENTS) + len(OTHERS) >= 40
    reports = linter.check_many(ACKNOWLEDGEMENTS + OTHERS)
    said = [r.profile is not None and r.profile.acknowledges_feelings for r in reports]
    truth = [True] * len(ACKNOWLEDGEMENTS) + [False] * len(OTHERS)
    tp = sum(s and t for s, t in zip(said, truth, strict=True))
    fp = sum(s and not t for s, t in zip(said, truth, strict=True))
    fn = sum(t and not s for s, t in zip(said, truth, strict=True))
    accuracy = sum(s == t for s, t in zip(said, truth, strict=True)) / len(truth)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nacknowledges_feelings on {len(truth)} labelled sentences:")
    print(f"accuracy {accuracy:.2f}, precision {precision:.2f}, recall {recall:.2f}")
    for text, s, t in zip(ACKNOWLEDGEMENTS + OTHERS, said, truth, strict=True):
        if s != t:
            print(f"  {'missed' if t else 'wrongly counted'}: {text}")
    assert accuracy >= 0.75
    assert precision >= 0.85
    assert recall >= 0.6
