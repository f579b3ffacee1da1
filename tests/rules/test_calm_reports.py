"""Third pass over blind reviews 19x and 19y (re-linted after their fixes; fixed after them, so
not blind; our own words in the registers of the developer lists and triage macros the reviews
used). A calm developer's report is owed no acknowledgement of feelings, however its details
look: a log line ("SEALER: TPM: write timeout"), a call ("checkKeys(table)"), a root directory
("/etc"); a device's "no response is received", the writer's own "mount it again", a fan that
"sucks air", "I'm willing to get stuck in" and "similar issues were addressed" say no feeling;
"as I mentioned on IRC" brushes nothing off. An apology for the writer's own delay opens an
e-mail as a greeting does. "open-iscsi" is no step; the customer's own patch applied and a
stale notice that asks for results need no check-back; "upvotes help ensure it can be merged
soon" promises no time. A one-line Italian attribution ("… ha scritto:")
is quoted mail. Every case has its counterpart that still fires. Each runs the real linter
(spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.quoting import quoted_spans
from tests.suggestions import rule_ids as _rules

_REPLY = (
    "Hi,\n\nThat comes from the seal step; set seal_retries=3 in the daemon's config and try a "
    "warm reboot. Does it seal then?\n\nMarta\n"
)


@pytest.mark.parametrize(
    ("calm", "felt"),
    [
        # a log pasted as its lines, and a return value in hex
        (
            "Hello,\n\nA warm reboot fails, a cold one works:\n\nSEALER: TPM: write cmd timeout\n"
            "SEALER: TPM: create returned 0x0101\nSEALER: failed to seal data\n\n"
            "Has anyone seen this error?",
            " We have lost two days of work on this and I'm desperate.",
        ),
        # a call with its argument and an identifier in camelCase
        (
            "I build the data sets in the new format and get an error from the check:\n\n"
            "Error in checkKeys(table): primary key not unique in slot candidate.\n\n"
            "The uniqueness is only checked for the first columns of buildTable.",
            " This is so frustrating!",
        ),
        # a root directory and a version, a build that differs each time
        (
            'We build an image from the same folder "/etc" taken from an ubuntu 20.04 '
            "install, mounted read-only, and the build check fails each time.",
            " Our customers are waiting on this and it is urgent.",
        ),
    ],
)
def test_a_developers_details_in_other_shapes(linter: Linter, calm: str, felt: str) -> None:
    assert "no-acknowledgement" not in _rules(_REPLY, calm)
    assert "no-acknowledgement" in _rules(_REPLY, calm + felt)


def test_a_device_with_no_response_is_no_person_ignored(linter: Linter) -> None:
    report = (
        "The initiator 2.1.4 fails to answer an R2T when immediate data is large (~128KB): "
        "sometimes no response is received in 180 seconds, see iscsi_xmit() in libiscsi."
    )
    assert "no-acknowledgement" not in _rules(_REPLY, report)
    ignored = report + " I've had no response from anyone on this list for a month."
    assert "no-acknowledgement" in _rules(_REPLY, ignored)


@pytest.mark.parametrize(
    "again",
    [
        "Reverting to 0.14.0 and rebuilding qemu makes things work again.",
        "I ran sync, unmounted and mounted the volume again; df -h shows the same loss.",
        "I want to try the nouveau driver before I mess with the vendor module again.",
    ],
)
def test_the_writers_own_again_is_no_repeat(linter: Linter, again: str) -> None:
    report = f"After the upgrade from 0.14.0 to 0.14.2 the guest screen is resized wrong. {again}"
    assert "no-acknowledgement" not in _rules(_REPLY, report)
    repeat = "After the upgrade from 0.14.0 to 0.14.2 the guest display crashed again."
    assert "no-acknowledgement" in _rules(_REPLY, repeat)


def test_a_fan_that_sucks_air_is_no_complaint(linter: Linter) -> None:
    report = (
        "I set the dGPU as the main GPU in xorg.conf because the laptop's fan sucks air from "
        "the base and the driver module powers the GPU down. How do I keep it awake?"
    )
    assert "no-acknowledgement" not in _rules(_REPLY, report)
    sucks = report.replace("How do I keep it awake?", "This driver sucks. How do I keep it awake?")
    assert "no-acknowledgement" in _rules(_REPLY, sucks)


def test_getting_stuck_in_and_addressed_issues_are_no_trouble(linter: Linter) -> None:
    reply = (
        "Hi Tariq,\n\nThe project is quiet now, but patches are welcome: start from the TODO "
        "file.\n\nJo\n"
    )
    keen = (
        "I'm wondering if there's any activity on this project. I'm willing to get stuck in, "
        "but was hoping for some guidance. Someone said similar issues were addressed upstream. "
        "Is that right?"
    )
    assert "no-acknowledgement" not in _rules(reply, keen)
    stuck = "I'm stuck on the build and it keeps failing. Is the project still active?"
    assert "no-acknowledgement" in _rules(reply, stuck)


def test_as_mentioned_on_irc_is_no_brush_off(linter: Linter) -> None:
    report = (
        "I compiled the 1.2.0 tarball on Debian and get a parse error from the camlp4 "
        "extension: currified constructor. Maybe I'm doing something wrong."
    )
    followed = (
        "Hi,\n\nDid you solve this one? As I mentioned yesterday on IRC, it looks like the "
        "extension is loaded twice.\n\nRich\n"
    )
    assert "no-acknowledgement" not in _rules(followed, report)
    put_down = followed.replace("As I mentioned yesterday on IRC", "As I already said")
    assert "no-acknowledgement" in _rules(put_down, report)


def test_a_one_line_italian_attribution_is_quoted_mail(linter: Linter) -> None:
    text = (
        "Il giorno sab 26 dic 2020 alle ore 17:50 <someone@example.org> ha scritto:\n>\n"
        "> The viewer window disappears when I switch to wifi.\n\nHi,\n\nThe viewer does not "
        "reconnect yet; reopen it after the switch.\n\nFrediano\n"
    )
    spans = [text[a:b] for a, b in quoted_spans(text)]
    assert spans[0].endswith("ha scritto:")
    assert "missing-greeting" not in _rules(text)
    # a reply above the attribution still opens the e-mail
    top = "The viewer does not reconnect yet.\n\n" + text[: text.index("\n\nHi,")] + "\n"
    findings = linter.check(top, channel="email").findings
    assert [f.excerpt for f in findings if f.rule == "missing-greeting"] == [
        "The viewer does not reconnect yet."
    ]


@pytest.mark.parametrize(
    "opener",
    [
        "I'm sorry I didn't see this earlier.",
        "Sorry for the slow reply!",
        "Apologies for the delay.",
    ],
)
def test_an_apology_for_the_writers_own_delay_opens_the_email(linter: Linter, opener: str) -> None:
    body = " The fix is in 2.1; update and run the check again.\n\nJo\n"
    customer = "The mount fails with error 22 on 2.0.3."
    assert "missing-greeting" not in _rules(opener + body, customer)
    assert "missing-greeting" in _rules("I'm sorry it fails." + body, customer)


def test_a_name_opening_with_a_step_verb_is_no_step(linter: Linter) -> None:
    customer = "Does the initiator use multi-queue? My target hangs under load."
    named = "Hi,\n\nopen-iscsi does not use multi-queue, though the block layer does.\n\nLee\n"
    assert "no-check-back" not in _rules(named, customer)
    step = "Hi,\n\nOpen iscsid.conf and set the queue depth to 32.\n\nLee\n"
    assert "no-check-back" in _rules(step, customer)


def test_the_customers_own_patch_applied_needs_no_check_back(linter: Linter) -> None:
    customer = "The build fails on macOS with clang 12; the attached patch fixes the include."
    applied = (
        "Hi Ryan,\n\nThanks for the proposed fix. I've applied it to the e2fsprogs git tree.\n"
    )
    assert "no-check-back" not in _rules(applied, customer)
    fixed = "Hi Ryan,\n\nI've fixed the include in the git tree. Update and rebuild.\n"
    assert "no-check-back" in _rules(fixed, customer)


def test_asking_to_share_results_invites_a_reply(linter: Linter) -> None:
    customer = "The sync client crashes on start since the update. Annoying!"
    reply = "Hi Jo,\n\nSorry about the crashes. Please try updating to 3.2 and {tail}\n\nAna\n"
    shared = reply.format(tail="sharing your results.")
    assert "no-check-back" not in _rules(shared, customer)
    assert "no-check-back" in _rules(reply.format(tail="restarting."), customer)


def test_what_would_help_it_happen_promises_no_time(linter: Linter) -> None:
    macro = "Thanks for this issue! More upvotes help ensure the related PR can be merged {when}."
    assert "vague-timeline" not in _rules(macro.format(when="soon"), channel="macro")
    promise = "Thanks for this issue! We will merge the related PR soon."
    assert "vague-timeline" in _rules(promise, channel="macro")
