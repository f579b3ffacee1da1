"""After blind review 18h (fixed after it, so not blind; none of its text is here): a
non-apology swapped for an owning one inside its sentence adds no apology, so the whole rewrite
applies it even where the reply apologises again later; the rest of the sentence opens with
"However," and its comma. Each case runs the real linter (spaCy)."""

from __future__ import annotations

from replylint import Linter

REPLY = (
    "@ka_t We're sorry you feel this way, however this isn't something we can make an "
    "exception on. Apologies once again. ^KT"
)


def test_a_swapped_apology_is_applied_in_the_whole_rewrite(linter: Linter) -> None:
    report = linter.check(REPLY)
    (found,) = [f for f in report.findings if f.rule == "non-apology"]
    assert found.suggestions[0].replacement == (
        "I'm sorry that <what happened>. However, this isn't something we can make an exception on."
    )
    rewritten = report.rewritten()
    assert rewritten.startswith("@ka_t I'm sorry that <what happened>. However, this isn't")
    assert rewritten.endswith("Apologies once again. ^KT")
    assert "sorry you feel" not in rewritten


def test_a_second_apology_is_still_not_added(linter: Linter) -> None:
    # the acknowledgement an apology would add is left out where the reply already has one
    text = "@jo_b Apologies for the wait, Jo! We can't refund the delivery fee, sorry. ^KT"
    rewritten = linter.check(text).rewritten()
    assert rewritten.lower().count("sorry") + rewritten.lower().count("apolog") <= 2


def test_no_check_back_is_appended_to_a_reply_cut_off_mid_clause(linter: Linter) -> None:
    whole = "Hi Jo,\n\nPlease restart the router.\n2. Then look for its MAC address on the side."
    cut = "Hi Jo,\n\nPlease restart the router.\n2. Then look for its MAC address in the form of \\"
    for text, offered in ((whole, True), (cut, False)):
        (found,) = [f for f in linter.check(text).findings if f.rule == "no-check-back"]
        assert bool(found.suggestions) is offered, text


# blind review 18i (fixed after it, not blind)


def test_no_apology_built_from_a_stranded_preposition_or_a_clause_said_against_another(
    linter: Linter,
) -> None:
    stranded = (
        "@ab_c We want to help. DM us the device and OS version you're having the issue on and "
        "details on the issue itself. https://example.com/dm"
    )
    tied = (
        "Our admins looked into your account and there is no refund due. Your current "
        "subscription has been cancelled and you will not be billed anymore."
    )
    for text in (stranded, tied):
        (found,) = [f for f in linter.check(text).findings if f.rule == "no-acknowledgement"]
        made = [s.replacement for s in found.suggestions]
        assert made == ["I'm sorry about <the issue>. "], made


def test_the_check_back_after_a_refund_refused_promises_nothing(linter: Linter) -> None:
    text = (
        "Our admins looked into your account and there is no refund due. Your current "
        "subscription has been cancelled and you will not be billed anymore."
    )
    (found,) = [f for f in linter.check(text).findings if f.rule == "no-check-back"]
    assert found.suggestions[0].replacement == " If you have any other questions, just reply here."


def test_a_thread_marker_glued_to_the_full_stop_is_structure(linter: Linter) -> None:
    # "… cancelled.1/2 ^SY": part 1 of 2, so the alternative may be in part 2 (and nothing is
    # appended after the marker)
    text = "@ab_c We won't be able to reinstate an order once it's cancelled.1/2 ^SY"
    assert "no-alternative" not in {f.rule for f in linter.check(text).findings}


def test_no_issue_slot_where_the_writer_could_not_make_out_the_concern(linter: Linter) -> None:
    text = (
        "@sh_n I'm unable to comprehend your concern, Shan. Could you please elaborate so that "
        "we can assist you accordingly? ^NK"
    )
    (found,) = [f for f in linter.check(text).findings if f.rule == "no-acknowledgement"]
    assert found.suggestions == []


def test_a_non_apology_about_a_named_thing_keeps_the_thing(linter: Linter) -> None:
    text = (
        "@ha_l Hi Haley, I'm really sorry you are unhappy with the size difference in your "
        "steaks. I would like to log this internally. ^SY"
    )
    (found,) = [f for f in linter.check(text).findings if f.rule == "non-apology"]
    assert found.suggestions[0].replacement == (
        "I'm sorry about the size difference in your steaks."
    )
