"""Rule no-check-back on the replies a blind review found it wrong about (issue 19, round 2).

Three classes, each on every channel (the rule is the same on all of them):

1. the reply already invites the customer back, in other words than "let me know" (a
   conditional "if that doesn't help, contact us back", an open "feel free to reach out again",
   an issue tracker's "reopen this issue if …");
2. the reply's ask is for information or a diagnostic result, so there is no fix yet to check
   back on ("send us a photo of the box", "paste the result here");
3. the reply redirects to a link, a form or another channel.

Each quiet reply has a cold twin: the same fix or steps with the invitation, ask or redirect
taken out, which must still fire (the rule keeps flagging a fix nobody is asked about).
"""

from __future__ import annotations

import pytest

CHANNELS = ["email", "chat", "social", "macro"]

# (class, quiet reply, cold twin that must fire)
CASES: list[tuple[str, str, str]] = [
    (
        "invitation",
        "Sorry the sync stalled! I've cleared the stuck job on your workspace. If it happens "
        "again, drop us a line and we'll dig into the logs.",
        "Sorry the sync stalled! I've cleared the stuck job on your workspace.",
    ),
    (
        "invitation",
        "Sorry about that, Jen. Clear the app's cache under Settings > Storage and reopen it. "
        "Still stuck? Hit us up here.",
        "Sorry about that, Jen. Clear the app's cache under Settings > Storage and reopen it.",
    ),
    (
        "invitation",
        "Hi Leo, I've reversed the late fee on your March invoice. Don't hesitate to contact us "
        "if there's anything else.",
        "Hi Leo, I've reversed the late fee on your March invoice.",
    ),
    (
        "invitation",
        "This is fixed on main and goes out in 2.8.0; please upgrade when it lands. Comment "
        "here if you still hit it after that.",
        "This is fixed on main and goes out in 2.8.0; please upgrade when it lands.",
    ),
    (
        "invitation",
        "Sorry for the trouble. Please reinstall the plugin from the marketplace. If the error "
        "keeps coming back, feel free to file another report.",
        "Sorry for the trouble. Please reinstall the plugin from the marketplace.",
    ),
    (
        "invitation",
        "Sorry the code never arrived! We've sent a new activation code to your inbox, just "
        "reply to this email if it doesn't turn up.",
        "Sorry the code never arrived! We've sent a new activation code to your inbox.",
    ),
    (
        "ask",
        "Sorry the charger stopped working. Please send over the serial number from the back "
        "of the unit so I can check the warranty.",
        "Sorry the charger stopped working. Please return the unit with the prepaid label and "
        "I'll send a new one.",
    ),
    (
        "ask",
        "Sorry about the error! Restart the app and paste the error message here.",
        "Sorry about the error! Restart the app and sign in again.",
    ),
    (
        "ask",
        "So sorry about the leak. Please email us a picture of the bottle and your receipt.",
        "So sorry about the leak. I've sent a new bottle by first class post.",
    ),
    (
        "ask",
        "Sorry the page is blank for you. I'll just need your browser version and a "
        "screenshot of the console to look into it.",
        "Sorry the page is blank for you. Update your browser and reload the page.",
    ),
    (
        "redirect",
        "Sorry your card was declined! Please follow this guide to update your billing "
        "details: https://help.example.com/billing",
        "Sorry your card was declined! Go to Account > Billing and update your card details.",
    ),
    (
        "redirect",
        "Sorry to hear the parcel arrived crushed. Please fill in the claim form and our "
        "returns team will arrange the replacement.",
        "Sorry to hear the parcel arrived crushed. I've arranged a replacement by courier.",
    ),
    (
        "redirect",
        "Sorry about the outage on your line. Please ring our technical support line on "
        "0800 555 010 and they'll book an engineer.",
        "Sorry about the outage on your line. Restart the hub and wait ten minutes.",
    ),
]


def _fires(linter, text: str, channel: str) -> bool:  # type: ignore[no-untyped-def]
    if channel == "social":
        text = f"@48120 {text} ^KD"
    report = linter.check(text, channel=channel)
    assert report.channel == channel
    return any(f.rule == "no-check-back" for f in report.findings)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("kind", "quiet", "cold"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_quiet_on_invitations_asks_and_redirects(linter, channel, kind, quiet, cold) -> None:  # type: ignore[no-untyped-def]
    assert not _fires(linter, quiet, channel), f"{kind}: fired on {quiet!r}"
    assert _fires(linter, cold, channel), f"{kind}: its cold twin did not fire: {cold!r}"


def test_thanks_for_getting_in_touch_is_no_invitation(linter) -> None:  # type: ignore[no-untyped-def]
    """An opener thanking the customer for contacting us invites nothing back."""
    text = (
        "Thanks for getting in touch. Sorry about the error; I've reset your password, so "
        "sign in with the link we emailed."
    )
    assert _fires(linter, text, "email")


def test_the_writers_own_ticket_is_no_invitation(linter) -> None:  # type: ignore[no-untyped-def]
    """ "I'll open a ticket with the warehouse" is the writer's step, not the customer's."""
    text = (
        "Hi Kim, sorry for the wait. I'll open a ticket with the warehouse and we'll send the "
        "missing lid by Friday."
    )
    assert _fires(linter, text, "email")


def test_a_step_that_opens_an_emailed_link_is_no_redirect(linter) -> None:  # type: ignore[no-untyped-def]
    text = (
        "To reset your password, click Forgot password and enter your email. Then open the "
        "link we send you and choose a new one."
    )
    assert _fires(linter, text, "macro")


def test_the_profile_does_not_count_an_ask_as_a_check_back(linter) -> None:  # type: ignore[no-untyped-def]
    """The ask excuses the rule (its ``unless``); it is not itself an invitation to confirm a
    fix, so the empathy profile's ``checks_back`` stays false."""
    report = linter.check("Sorry about that. Please send us a photo of the damaged box.")
    assert not any(f.rule == "no-check-back" for f in report.findings)
    assert report.profile is not None and report.profile.checks_back is False
