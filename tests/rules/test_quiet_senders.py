"""Second pass over blind reviews 19u–19w (fixed after them, so not blind; our own words, in
the registers of the mailing lists and triage macros the reviews used): a webmail advert
below an underscore rule is no part of the customer's message; "thanks for any of your
help!", "working again", a status question's "known issues" are no distress; "Python2.4" and
a Windows path are a developer's details; "I can't check it right now" is no refusal; a
triage macro's "issue" is the ticket; a report sent where it belongs is no fix to check
back on; "eventually" as a maybe, "Later on" in how a thing works, a design aim and a wish
are no promised times; "we" answering a question about us is no we-focus. Every case has its
counterpart that still fires. Each runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.quoting import quoted_spans


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _rules(
    linter: Linter, text: str, customer: str | None = None, channel: str = "email"
) -> set[str]:
    return {f.rule for f in linter.check(text, customer, channel=channel).findings}


_ADVERT = (
    "\n\n__________________________________________________\nDo You Yahoo!?\n"
    "Tired of spam?  Yahoo! Mail has the best spam protection around\nhttp://mail.yahoo.com\n"
)
_REPORT = (
    "Hi,\nI'm getting this error after starting the daemon 2.1.3 and connecting with the "
    "client:\n\n    Unable to get password.\n    Internal error: helper not initialized.\n\n"
    "Any thoughts? My daemon.ini is attached."
)
_ANSWER = (
    "Hi,\n\nThat symbol comes from libev; install libev-dev and run ./configure again. "
    "Does the build get further then?\n\nMarta\n"
)


def test_a_webmail_advert_below_a_rule_is_a_footer() -> None:
    text = "Thanks, I will try it." + _ADVERT
    spans = [text[a:b] for a, b in quoted_spans(text)]
    assert spans[0].strip() == "_" * 50
    assert spans[-1] == "http://mail.yahoo.com"
    assert "Thanks, I will try it." not in "".join(spans)


def test_an_underscore_rule_between_long_sections_is_no_footer() -> None:
    text = "Section one.\n__________\n" + "".join(f"Step {n}: do this.\n" for n in range(12))
    assert quoted_spans(text) == ()


def test_the_advert_is_not_the_customers_distress(linter: Linter) -> None:
    # a calm developer's report is owed no acknowledgement of feelings; the advert's "Tired
    # of spam?" is not the customer's
    assert "no-acknowledgement" not in _rules(linter, _ANSWER, _REPORT + _ADVERT)
    # ... while the same words in the message itself are
    felt = _REPORT + "\nI'm tired of this, I have spent hours on it."
    assert "no-acknowledgement" in _rules(linter, _ANSWER, felt)


def test_thanks_for_your_help_is_no_plea(linter: Linter) -> None:
    calm = _REPORT + "\nThanks for any of your help!"
    assert "no-acknowledgement" not in _rules(linter, _ANSWER, calm)
    plea = _REPORT + "\nHelp! Nothing works and my boss needs it today."
    assert "no-acknowledgement" in _rules(linter, _ANSWER, plea)


def test_working_again_is_good_news_not_a_repeat(linter: Linter) -> None:
    good = _REPORT + "\nAutomounting seems to be working again in 2.1.2 though."
    assert "no-acknowledgement" not in _rules(linter, _ANSWER, good)
    again = _REPORT + "\nThe build failed again after the update."
    assert "no-acknowledgement" in _rules(linter, _ANSWER, again)


def test_a_version_glued_to_its_name_and_a_windows_path_are_technical(linter: Linter) -> None:
    report = (
        "Just a small problem during installation: it did not create the "
        "Python24\\Lib\\site-packages\\harvest path (I use Python2.4 and Win XP)."
    )
    reply = "Hi Ersin,\n\nThe installer is not tested on Windows yet; create the folder by hand.\n"
    assert "no-acknowledgement" not in _rules(linter, reply, report)
    consumer = "Just a small problem: my order arrived with the lid broken."
    assert "no-acknowledgement" in _rules(
        linter, "Hi Ersin,\n\nPlease send a photo of the lid.\n", consumer
    )


def test_a_status_question_about_known_issues_is_no_trouble(linter: Linter) -> None:
    reply = "Hi,\n\nOnly the signal strength. WPA works when the signal is good.\n\nLarry\n"
    status = "Hi. What is the status of WPA support? Which are the known issues?\n\nThanks, Rodrigo"
    assert "no-acknowledgement" not in _rules(linter, reply, status)
    trouble = "Hi. I have issues with WPA, it drops every minute. Why?\n\nRodrigo"
    assert "no-acknowledgement" in _rules(linter, reply, trouble)


def test_cant_check_it_right_now_is_no_refusal(linter: Linter) -> None:
    reply = (
        "Yeah, the renderer takes the alignment as its last argument. Though I can't check it "
        "right now from where I am.\n\n/Esa\n"
    )
    assert not {"no-alternative", "no-acknowledgement"} & _rules(
        linter, reply, "is there a function to center text? i tried my own."
    )
    refusal = "Hi,\n\nWe can't refund opened items.\n\nEsa\n"
    assert "no-alternative" in _rules(linter, refusal, "can I return the opened box?")


def test_a_triage_macros_issue_is_the_ticket(linter: Linter) -> None:
    stale = (
        "We've closed this issue since it needs more information and hasn't had any activity "
        "recently. To avoid having your issue closed in the future, please read our "
        "contributing guidelines.\n\nHappy graphing!"
    )
    assert "no-acknowledgement" not in _rules(linter, stale, channel="macro")
    helpdesk = (
        "Hi {{ticket.requester.first_name}},\n\nYour account was suspended after three failed "
        "payments. Please update your card in Billing.\n\n{{agent.name}}"
    )
    assert "no-acknowledgement" in _rules(linter, helpdesk, channel="macro")


def test_a_report_sent_where_it_belongs_is_no_fix(linter: Linter) -> None:
    customer = "The export drops the last row of my table, every time."
    for redirect in (
        "Please add a bug about it.",
        "Please log it on berlios.de so it is not lost.",
        "Please check if there's already an issue filed there, or create one if not.",
    ):
        reply = f"Hi,\n\nThat is a problem in the exporter, not the list. {redirect}\n\nJo\n"
        assert "no-check-back" not in _rules(linter, reply, customer), redirect
    fix = "Hi,\n\nThat is a problem in the exporter. Please update to 2.4 and export again.\n\nJo\n"
    assert "no-check-back" in _rules(linter, fix, customer)


def test_post_any_more_queries_invites_a_reply(linter: Linter) -> None:
    customer = "The export drops the last row of my table, every time."
    reply = "Hi,\n\nPlease update to 2.4 and export again. Please post any more queries.\n\nJo\n"
    assert "no-check-back" not in _rules(linter, reply, customer)


@pytest.mark.parametrize(
    ("excused", "kept"),
    [
        (
            "It should be possible to build it with mingw and eventually in cygwin too.",
            "We will eventually add a cygwin build.",
        ),
        (
            "Later on, all the communication of that application happens in that range.",
            "Later on we will send you the new firmware.",
        ),
        (
            "This project is designed to support new versions as soon as possible.",
            "We will support the new version as soon as possible.",
        ),
        (
            "Marcello and I would like to have a look at those in the near future.",
            "We will look at your request in the near future.",
        ),
    ],
)
def test_no_promised_time(linter: Linter, excused: str, kept: str) -> None:
    assert "vague-timeline" not in _rules(linter, f"Hi Tom,\n\n{excused}\n\nAna\n")
    assert "vague-timeline" in _rules(linter, f"Hi Tom,\n\n{kept}\n\nAna\n")


def test_we_answering_a_question_about_us(linter: Linter) -> None:
    reply = (
        "Hi,\n\nYes. We were a little side-tracked, so our list was quiet. We updated our old "
        "bindings and our builds now run on Linux; we plan to keep our current engine.\n\nDan\n"
    )
    asked = "Is the project under active development? Are there plans to move to the new engine?"
    assert "we-focus" not in _rules(linter, reply, asked)
    assert "we-focus" in _rules(linter, reply, "My build fails on Linux with the new engine.")


# -- after blind review 19x (fixed after it, not blind) ----------------------------------------


def test_a_phrase_runs_on_over_a_hard_line_break(linter: Linter) -> None:
    customer = "Output is slow: the keyboard interrupt is ignored until output completes. Problem!"
    wrapped = "Yes, I've noticed the problem. My guess is the priority, and yes it is\nirritating."
    assert "no-acknowledgement" not in _rules(linter, wrapped, customer)
    refusal = "Hi Tom,\n\nwe can't refund opened\nitems, it's our policy.\n\nAna\n"
    assert "bare-policy" in _rules(linter, refusal)
    # a blank line still ends it
    assert "no-acknowledgement" in _rules(
        linter, "Yes, I've noticed the problem. It is\n\nirritating to debug.", customer
    )


@pytest.mark.parametrize(
    "owned",
    [
        "Bugger - local file permissions. I'll remember to check for that next time.",
        "Our old demo page was badly out of date. We've definitely been remiss there.",
        "That's my bad: the link pointed at the old page. The new one is below.",
    ],
)
def test_informal_ownership_acknowledges(linter: Linter, owned: str) -> None:
    customer = "The demo page fails to load and the download link is broken. Frustrating!"
    assert "no-acknowledgement" not in _rules(linter, f"Hi Sam,\n\n{owned}\n\nJo\n", customer)
    cold = "Hi Sam,\n\nThe demo page is at /demo now.\n\nJo\n"
    assert "no-acknowledgement" in _rules(linter, cold, customer)


def test_a_process_stuck_is_no_person_stuck(linter: Linter) -> None:
    reply = "Hi,\n\nThat wait comes from the lookup module; set timeout=30 in autofs.conf.\n\nIan\n"
    process = (
        "autofs 5.1.8 hangs: the daemon is stuck in autofs_wait() and we lost the mount on "
        "/net/home; lookup_program never returns."
    )
    assert "no-acknowledgement" not in _rules(linter, reply, process)
    person = process + " I'm completely stuck and lost two days on this."
    assert "no-acknowledgement" in _rules(linter, reply, person)


@pytest.mark.parametrize(
    "macro",
    [
        "This Issue will now be closed and locked. Please create a GitHub Discussion instead.",
        "The issue has been marked as inactive. If the reported problem is still present, "
        "respond with additional info so that we can reopen it.",
        "Your issue is already known. Please comment on the already existing issue instead.",
        "The issue requires more information from somebody that can reproduce the issue.",
    ],
)
def test_more_triage_macros_mean_the_ticket(linter: Linter, macro: str) -> None:
    assert "no-acknowledgement" not in _rules(linter, macro, channel="macro")


def test_not_finding_the_cause_and_no_such_problem_here_refuse_nothing(linter: Linter) -> None:
    customer = "Calls drop after 30 seconds on my setup. What is wrong?"
    reply = "Hi,\n\nNo such problem here. I can't find the problem in your logs either.\n\nJo\n"
    rules = _rules(linter, reply, customer)
    assert not {"terse-refusal", "no-alternative"} & rules
    assert "terse-refusal" in _rules(linter, "Hi,\n\nNo.\n\nJo\n", "Can I get a refund?")


def test_just_a_guess_minimizes_nothing(linter: Linter) -> None:
    guess = "My guess is the interrupt priority was lowered. That's just a guess however."
    assert "minimizing" not in _rules(linter, guess)
    assert "minimizing" in _rules(linter, "It's just a small delay, nothing to worry about.")


def test_more_invitations_and_requests(linter: Linter) -> None:
    customer = "The export drops the last row of my table, every time."
    for closing in (
        "Please drop a line if it helped.",
        "Let us know by telling us if trunk works for you.",
        "Then run the dump and link it over here.",
    ):
        reply = f"Hi,\n\nPlease update to 2.4 and export again. {closing}\n\nJo\n"
        assert "no-check-back" not in _rules(linter, reply, customer), closing
    data = "Hi,\n\nPlease send me the data so I can take a quick look.\n\nJo\n"
    assert "no-check-back" not in _rules(linter, data, customer)


def test_the_past_and_a_trailing_hope_are_no_promised_time(linter: Linter) -> None:
    for said in (
        "I guess that might have worked at some point.",
        "Containers are rare now; that will change (soon I hope).",
    ):
        assert "vague-timeline" not in _rules(linter, f"Hi Tom,\n\n{said}\n\nAna\n"), said
    assert "vague-timeline" in _rules(linter, "Hi Tom,\n\nWe'll fix it at some point.\n\nAna\n")


def test_the_options_available_are_an_alternative(linter: Linter) -> None:
    reply = (
        "Hi,\n\nI think this is not possible. The options available are to combine the "
        "quarters or to skip the estimate.\n\nJo\n"
    )
    assert "no-alternative" not in _rules(linter, reply, "Can I get quarterly estimates?")


def test_a_kernel_oops_is_no_interjection(linter: Linter) -> None:
    customer = "When I load the module my system freezes. This is critical for us."
    oops = "Hi,\n\nMaybe there is an oops going on you cannot see. Catch the console output.\n"
    assert "no-acknowledgement" in _rules(linter, oops, customer)
    owned = "Hi,\n\nOops, that was our module. Catch the console output.\n"
    assert "no-acknowledgement" not in _rules(linter, owned, customer)


def test_tickets_still_accepted_are_no_live_fault(linter: Linter) -> None:
    redirect = (
        "Hello,\n\nPlease ask questions in our Discussions; read the pinned post first so you "
        "don't face any issues. Feature requests through issues are still accepted."
    )
    assert "no-acknowledgement" not in _rules(linter, redirect, channel="macro")
    live = "Hello,\n\nThe sync issues are still there after the update; a fix ships Monday."
    assert "no-acknowledgement" in _rules(linter, live, channel="macro")


def test_another_products_channel_and_leave_given_are_no_fix(linter: Linter) -> None:
    customer = "The mobile app loses my drafts every time. Can you fix it?"
    redirect = "Hi,\n\nThis list does not cover the app. Please use its own feedback system.\n"
    assert "no-check-back" not in _rules(linter, redirect, customer)
    leave = "Hi,\n\nThanks. Please go on and do the required changes for the installer.\n"
    assert "no-check-back" not in _rules(linter, leave, "Should I commit my patch? It crashes.")
    fix = "Hi,\n\nPlease update the mobile app and restart it.\n"
    assert "no-check-back" in _rules(linter, fix, customer)


# -- after blind reviews 19y and 18s (fixed after them, not blind) -----------------------------


def test_not_reproducing_and_not_following_refuse_nothing(linter: Linter) -> None:
    customer = "The export crashes on my table with 10k rows. Help!"
    for said in (
        "We're unable to replicate the crash with the sample you sent.",
        "I can't quite\nparse your question, though. What are you asking about?",
    ):
        reply = f"Hi,\n\n{said} Could you send the file?\n\nJo\n"
        assert "no-alternative" not in _rules(linter, reply, customer), said
    refusal = "Hi,\n\nWe're unable to refund exports.\n\nJo\n"
    assert "no-alternative" in _rules(linter, refusal, customer)


def test_an_italian_attribution_is_quoted_mail() -> None:
    text = (
        "Hi,\n\nIl giorno gio 17 giu 2021 alle ore 06:35 Shawn <s@x.edu> ha\nscritto:\n\n"
        "> copy/paste does not work.\n\nYou need the agent.\n"
    )
    assert [text[a:b] for a, b in quoted_spans(text)] == [
        "Il giorno gio 17 giu 2021 alle ore 06:35 Shawn <s@x.edu> ha",
        "scritto:",
        "> copy/paste does not work.",
    ]


@pytest.mark.parametrize(
    "said",
    [
        "I doubt I'd have time for it any time soon.",
        "That is something we want to look at eventually.",
    ],
)
def test_no_time_and_a_wish_promise_nothing(linter: Linter, said: str) -> None:
    assert "vague-timeline" not in _rules(linter, f"Hi Tom,\n\n{said}\n\nAna\n")
    assert "vague-timeline" in _rules(linter, "Hi Tom,\n\nWe will look at it eventually.\n\nAna\n")


def test_a_closure_macro_fixed_in_the_latest_release_means_the_ticket(linter: Linter) -> None:
    macro = (
        ":wave: @{issue-author}, thanks for reporting an issue!\n\nThis issue is assumed to be "
        "fixed in the latest stable release. Please reopen in case you can still reproduce the "
        "issue with the latest stable release."
    )
    assert "no-acknowledgement" not in _rules(linter, macro, channel="macro")


def test_ask_on_the_list_if_invites_and_a_first_issue_is_a_ticket(linter: Linter) -> None:
    customer = "The board does not boot with my image. What am I doing wrong?"
    steps = "Hi,\n\nPlease reinstall the image with the rpi4 config. Just ask on the list if "
    assert "no-check-back" not in _rules(linter, steps + "something odd happens.\n", customer)
    bare = steps.replace(" Just ask on the list if ", "\n")
    assert "no-check-back" in _rules(linter, bare, customer)
    welcome = "Thanks for opening your first issue here! Be sure to follow the issue template."
    assert "no-acknowledgement" not in _rules(linter, welcome, channel="macro")
