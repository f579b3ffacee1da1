"""The suggestion gate (rewrite/gate.py), check by check, on real-style drafts: tweets with
handles and sign-offs, macros with placeholders, e-mails, profane and shouting customers.

Each test lints a draft with the real pipeline and reads what the gate said of every candidate
(``replylint.suggestions.explain``): what was refused and why, and that what is offered is
clean.
"""

from __future__ import annotations

import re

import pytest

from replylint import Linter
from replylint.engine.hits import Hit
from replylint.engine.verify import explain as engine_explain
from replylint.models import Applicability
from replylint.rewrite import gate
from replylint.rewrite.edit import edit
from replylint.suggestions import Explained, ExplainedFinding, explain


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _found(
    linter: Linter, text: str, customer: str | None = None, rule: str = ""
) -> ExplainedFinding:
    [found] = explain(linter, [(text, customer)])
    mine = [f for f in found if f.rule == rule]
    assert mine, f"{rule} did not fire: {[f.rule for f in found]}"
    return mine[0]


def _offered(f: ExplainedFinding) -> list[Explained]:
    return f.offered


def _clean(s: str) -> None:
    assert not re.search(r"@\w|https?://|#\w|\bwtf\b|\bbro\b|\?", s.replace("Is that right?", ""))


# -- what the customer wrote ------------------------------------------------------------------


def test_an_acknowledgement_never_carries_the_customers_handles_links_or_shouting(linter) -> None:
    f = _found(
        linter,
        "@maya_r Your parcel is with the depot and will be delivered tomorrow. ^CB",
        "@ShopNorth @RoyalPost our courier lost my parcel AGAIN #fail https://pics.example/x",
        "no-acknowledgement",
    )
    assert f.offered
    for c in f.offered:
        _clean(c.replacement)
        assert "AGAIN" not in c.replacement
    assert all(c.reason or c.origin != "builder" or "@" not in c.replacement for c in f.candidates)


def test_a_profane_customer_is_not_quoted(linter) -> None:
    f = _found(
        linter,
        "Server hiccup on our side. I've restored your 25 points, they show after a restart.",
        "bro the game kicked me mid ranked match and i lost 25 points wtf",
        "no-acknowledgement",
    )
    for c in f.offered:
        _clean(c.replacement)


def test_no_sentence_is_built_from_the_customers_words(linter) -> None:
    """The acknowledgement and the paraphrase are slots (blind reviews 18j-18o)."""
    text = "Hi Dana,\n\nI've reversed the second payment today.\n\nBest,\nLeon"
    customer = "I was charged twice for my annual plan this month."
    for rule, slot in [
        ("no-paraphrase", "<the customer's issue, in your words>"),
        ("no-acknowledgement", "<the issue>"),
    ]:
        [c] = _found(linter, text, customer, rule).offered
        assert slot in c.replacement and "charged" not in c.replacement, c.replacement
        assert c.applicability == "display-only"


def test_a_question_or_request_from_the_customer_is_not_an_acknowledgement(linter) -> None:
    f = _found(
        linter,
        "Hi,\n\nUnfortunately we can't refund opened items. You can return unopened ones.",
        "Can you refund me please? I'd like my money back please.",
        "no-acknowledgement",
    )
    for c in f.offered:
        assert "please" not in c.replacement.lower() and "?" not in c.replacement


# -- nothing glued after "I'm sorry" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "glued"),
    [
        ("I'm sorry nope, we don't ship to Canada.", "nope"),
        ("I'm sorry obviously we can't control the post.", "obviously"),
        ("I'm sorry was unfair.", "was"),
        ("I'm sorry to keep things fair for every customer, we can't.", "to keep"),
        ("I'm sorry having reviewed your account, we cannot refund it.", "having"),
        ("I'm sorry as per our terms we cannot deliver.", "as"),
    ],
)
def test_what_cannot_follow_im_sorry(text: str, glued: str) -> None:
    assert gate._after_sorry(text) == glued


@pytest.mark.parametrize(
    "text",
    [
        "I'm sorry your parcel was delayed.",
        "I'm sorry about the delay with your order.",
        "I'm sorry to hear the app keeps crashing.",
        "I'm sorry that <what happened>.",
        "I'm sorry nobody told you about the increase.",
        "Sorry — I'm on it.",
    ],
)
def test_what_can_follow_im_sorry(text: str) -> None:
    assert gate._after_sorry(text) is None


def test_a_refusal_is_not_turned_into_an_apology(linter) -> None:
    f = _found(
        linter,
        "Hi Alex,\n\nHaving reviewed your account, we cannot refund the early termination fee.\n\n"
        "Regards,\nContracts",
        rule="no-acknowledgement",
    )
    for c in f.offered:
        assert "cannot" not in c.replacement and "having" not in c.replacement.lower()
    assert any(c.origin == "fallback" or "<" in c.replacement for c in f.offered)


# -- one apology, no repetition ----------------------------------------------------------------


def test_no_second_apology_where_the_draft_has_one(linter) -> None:
    f = _found(
        linter,
        "Hi Sam,\n\nI'm sorry about the wait. It's not a big deal, your order ships on Monday.",
        rule="minimizing",
    )
    assert not f.offered
    # the template over the sentence is refused, or (the sentence says more than the flagged
    # phrase: the order ships on Monday) not built at all
    assert all(
        "apology or acknowledgement" in c.reason or "drops" in c.reason for c in f.candidates
    )


def test_a_replacement_keeps_the_facts_of_its_sentence(linter) -> None:
    f = _found(
        linter,
        "@rick_h You're overreacting, it's a known bug and the fix ships in v4.2 on Monday. ^JP",
        rule="minimizing",
    )
    # a template over the whole sentence would drop "v4.2": it is not built (the sentence says
    # more than the flagged phrase) or, built, refused for it
    refused = [c for c in f.candidates if c.reason]
    assert all("drops" in c.reason for c in refused)
    for c in f.offered:
        assert "4.2" in c.replacement or c.end - c.start < 60


def test_a_doubled_word_or_a_repeated_sentence_is_refused(linter) -> None:
    text = "Hi,\n\nDoes that work for you? If not, just reply here. Thanks."
    [(ctx, _)] = engine_explain(linter._get_engine(), [(text, None, ())])
    rule = linter.rulebook.rules["no-check-back"]
    hit = Hit(ctx.body_start, ctx.body_start + 4, ctx.sent_index(ctx.body_start))
    at = len(ctx.text)
    again = edit(
        at,
        at,
        " Does that work for you? If not, just reply here.",
        "",
        Applicability.UNSAFE,
    )
    assert (
        gate.static_reason(ctx, rule, hit, again, "template") == "repeats a sentence of the draft"
    )
    doubled = edit(
        ctx.body_start, ctx.body_start, "Thanks thanks for waiting. ", "", Applicability.UNSAFE
    )
    assert gate.static_reason(ctx, rule, hit, doubled, "template").startswith("doubles a word")


def test_a_replacement_never_covers_more_than_its_sentence(linter) -> None:
    text = (
        "Hello,\n\nUnfortunately we can't change a booking this late. It's company policy."
        "\n\nRegards"
    )
    [(ctx, judged)] = engine_explain(linter._get_engine(), [(text, None, ())])
    [j] = [j for j in judged if j.rule.id == "bare-policy"]
    start = ctx.text.index("Unfortunately")
    wide = edit(
        start,
        ctx.text.index("policy.") + 7,
        "To keep things fair, we can't.",
        "",
        Applicability.UNSAFE,
    )
    assert gate.static_reason(ctx, j.rule, j.hit, wide, "builder") == (
        "replaces more than its finding's sentence"
    )
    # what the builder offers instead: the policy sentence deleted, nothing else touched
    [offered] = j.offered
    assert offered.replacement == ""
    assert "company policy" in ctx.text[offered.start : offered.end]
    assert "change a booking" not in ctx.text[offered.start : offered.end]


def test_placeholders_are_never_cut_or_dropped(linter) -> None:
    f = _found(
        linter,
        "Hi {{ticket.requester.first_name}},\n\nAs per our terms and conditions, "
        "{{ticket.custom_field_item}} cannot be refunded once accessed.\n\nThanks,\n"
        "{{current_user.first_name}}",
        rule="bare-policy",
    )
    for c in f.offered:
        assert "{{" not in c.replacement or "{{ticket.custom_field_item}}" in c.replacement


# -- the channel's budget -----------------------------------------------------------------------


def test_a_social_reply_stays_within_280_characters(linter) -> None:
    body = (
        "@kemi_b Hi Kemi, we've refunded the cake and delivery in full (£42.50) and added a £15 "
        "voucher to your account. Our bakery lead, Dan Okoro, is looking into what went wrong "
        "with the order and will message you by Friday with what we changed. Thank you. ^DO"
    )
    assert 240 < len(body) <= 280
    f = _found(
        linter,
        body,
        "@Zappr i ordered a birthday cake for my daughter and you delivered it 2 days late",
        "no-acknowledgement",
    )
    assert all(len(body) + len(c.replacement) + 1 <= 280 for c in f.offered)
    assert any("over 280" in c.reason for c in f.candidates)


# -- the dynamic check ------------------------------------------------------------------------


def test_an_acknowledgement_that_a_self_story_excuses_is_refused_on_relint(linter) -> None:
    """The draft's next sentence is the writer's own story: an acknowledgement inserted before
    it does not count (the signal's ``unless``), so no-acknowledgement would still fire."""
    f = _found(
        linter,
        "The same thing happened to me last month lol, it's gross. I've refunded the box.",
        "the recipe box had a leaking chicken pack, everything smells",
        "no-acknowledgement",
    )
    assert not f.offered
    assert any(c.reason == "re-lint: its finding is still there" for c in f.candidates)


def test_judge_dynamic_reads_new_warnings_from_the_window(linter) -> None:
    rule = linter.rulebook.rules["condescending"]
    other = linter.rulebook.rules["blame-customer"]
    j = gate.Judged(rule, Hit(0, 5, 0))
    candidate = gate.Candidate(edit(0, 5, "", "", Applicability.SAFE), "builder")
    p = gate.Pending(j, candidate, None, (0, 10), (0, 10), "", "", (0, 0))  # type: ignore[arg-type]
    before = gate.Summary({"condescending": 1, "blame-customer": 0}, {}, {})
    gone = gate.Summary({"condescending": 0, "blame-customer": 0}, {}, {})
    worse = gate.Summary({"condescending": 0, "blame-customer": 1}, {}, {})
    still = gate.Summary({"condescending": 1, "blame-customer": 0}, {}, {})
    assert gate.judge_dynamic(p, before, gone, [rule, other], set()) == ""
    assert gate.judge_dynamic(p, before, worse, [rule, other], set()) == (
        "re-lint: adds a blame-customer finding"
    )
    assert gate.judge_dynamic(p, before, still, [rule, other], set()) == (
        "re-lint: its finding is still there"
    )


# -- applicability and fallbacks ----------------------------------------------------------------


def test_a_refused_builder_falls_back_to_a_display_only_template(linter) -> None:
    f = _found(
        linter,
        "Hi Ben,\n\nUnfortunately, as per our terms of service, we cannot deliver to PO boxes.\n\n"
        "Best,\nOksana",
        rule="no-acknowledgement",
    )
    [c] = f.offered
    assert "<the issue>" in c.replacement and c.applicability == "display-only"


def test_safe_only_for_a_deletion_that_passed(linter) -> None:
    f = _found(
        linter,
        "Hi Mo,\n\nObviously we can't control the post. Your order left on Monday.\n\nBest,\nJen",
        rule="condescending",
    )
    [c] = f.offered
    assert c.applicability == "safe" and c.replacement == "W"
    f = _found(
        linter,
        "Hi Sam,\n\nAs I already explained in my last email, click Reset password on the login "
        "page.\n\nBest, Leo",
        rule="condescending",
    )
    [c] = f.offered
    # the whole aside goes, not just its head ("In my last email, …")
    assert c.replacement == "C" and "in my last email" in (
        "As I already explained in my last email, c".lower()
    )
    assert c.end - c.start == len("As I already explained in my last email, c")


def test_every_offered_suggestion_with_a_slot_is_display_only(linter) -> None:
    texts = [
        ("Nope.", None),
        ("We'll be in touch soon.", None),
        ("You'll need to contact the courier.", None),
        ("Your call is very important to us.", None),
    ]
    for found in explain(linter, texts):
        for f in found:
            for c in f.offered:
                if "<" in c.replacement and re.search(r"<[a-z][^<>]*>", c.replacement):
                    assert c.applicability == "display-only", c


def test_another_rules_edit_never_takes_away_the_drafts_acknowledgement(linter) -> None:
    # a slot over the only sentence that acknowledges the customer (a template replacing the
    # finding's sentence) is refused, whichever rule offers it
    from replylint.rewrite.gate.static import static_reason

    engine = linter._get_engine()
    text = (
        "Hi Jo,\n\nWe know it's frustrating, and as we said, we appreciate your patience while our "
        "team gets the systems back. We will update the status page when the fix is out."
    )
    ctx = engine._context(engine._mask(text), None)
    rule = linter.rulebook.rules["condescending"]
    start, end = text.index("We know"), text.index(" We will update")
    slot = edit(
        start, end, "<the same point, said plainly and patiently>.", "d", Applicability.DISPLAY_ONLY
    )
    hit = Hit(text.index("as we said"), text.index(", we appreciate"), 1, None)
    assert static_reason(ctx, rule, hit, slot, "template") == "removes the draft's acknowledgement"
    # the same slot over a sentence that acknowledges nothing is not refused for it
    other = edit(end + 1, len(text), "<plainly>.", "d", Applicability.DISPLAY_ONLY)
    assert static_reason(ctx, rule, hit, other, "template") != (
        "removes the draft's acknowledgement"
    )


def test_an_edit_never_removes_what_says_the_draft_is_a_tracker_comment(linter) -> None:
    # a slot over the sentence that makes this an issue tracker's comment (tracker-comment
    # excuses its bug-report words for no-acknowledgement) would bring a finding in
    from replylint.rewrite.gate.static import static_reason

    engine = linter._get_engine()
    text = (
        "Please calm down and link the issue number in the PR description. The crash happens "
        "because the config file is missing."
    )
    ctx = engine._context(engine._mask(text), None)
    rule = linter.rulebook.rules["condescending"]
    first = text.index(" The crash")
    slot = edit(
        0, first, "<the same point, said plainly and patiently>.", "d", Applicability.DISPLAY_ONLY
    )
    hit = Hit(0, first, 0, None)
    assert static_reason(ctx, rule, hit, slot, "template") == (
        "removes what excuses another finding in the draft"
    )
    # an edit that keeps the tracker's words is not refused for it
    keep = edit(0, 0, "Thanks for the report! ", "d", Applicability.UNSAFE)
    assert static_reason(ctx, rule, hit, keep, "template") != (
        "removes what excuses another finding in the draft"
    )


def test_explain_reports_an_insertion_where_check_offers_it(linter) -> None:
    # a tweet's closing name ("-Mike") is masked out: an insertion after the last sentence goes
    # before it, in the report and in what --explain-suggestions / eval --rewrites show
    text = (
        "@tina_l We can't refund the missed lesson, but I've credited the 3 days without "
        "service to your account. -Mike"
    )
    report = linter.check(text, "@NetCo down for 3 days and I missed my lesson, who pays?")
    offered = [
        (s.start, s.end, s.replacement)
        for f in report.findings
        if f.rule == "no-check-back"
        for s in f.suggestions
    ]
    assert offered and all(text[start:] == " -Mike" for start, _, _ in offered)
    [found] = explain(linter, [(text, "@NetCo down for 3 days and I missed my lesson, who pays?")])
    shown = [
        (c.start, c.end, c.replacement)
        for ef in found
        if ef.rule == "no-check-back"
        for c in ef.offered
    ]
    assert shown == offered
