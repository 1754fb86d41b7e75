"""`/mentor forget` end to end: nothing happens before the member confirms; then nothing in
the database names them or holds what they wrote, pending DMs are cancelled, the people
they asked see the ask withdrawn, and program figures still count what happened."""

from sqlalchemy import select

from bot import ids
from bot.program.model import Period
from jobs.followups import run_due_followups
from jobs.rounds import run_due_rounds
from storage.models import Base
from tests.support.fake_slack import DEFAULT_TEAM
from tests.support.members import HISTORY_QUESTION as QUESTION
from tests.support.members import forget


def rows_mentioning(mentor, *needles: str) -> list[str]:
    """Every value in every table of ours that holds one of `needles`. Conversation ids are
    left out: the fake Slack names DMs after their members ("DUASK"), Slack's ids are opaque."""
    found = []
    with mentor.store.transaction() as repositories:
        for table in Base.metadata.sorted_tables:
            columns = [column for column in table.columns if "channel" not in column.name]
            for row in repositories.session.execute(select(*columns)):
                found += [f"{table.name}: {value!r}" for value in row for needle in needles if needle in str(value)]
    return found


def test_forget_asks_first_and_changes_nothing_until_confirmed(history):
    reply = history.slack.command("forget", user_id="UASK").json()

    assert "Forget me?" in reply["text"] and reply.get("response_type", "ephemeral") == "ephemeral"
    assert ids.FORGET_ME in str(reply["blocks"])
    answered = len(history.fake_slack.calls("response_url"))
    assert history.slack.click(ids.FORGET_CANCEL, "UASK", "", message=("DUASK", "1.0")).status == 200
    assert "Nothing was deleted" in history.fake_slack.wait_for("response_url", answered + 1)[-1].args["text"]
    assert rows_mentioning(history, "UASK")


def test_after_forgetting_no_row_names_the_member_or_holds_what_they_wrote(history):
    with history.store.transaction() as repositories:
        before = repositories.program.figures(DEFAULT_TEAM, Period(history.clock()))

    reply = forget(history)

    assert reply["replace_original"] is True
    assert "Mentor has forgotten you" in reply["text"]
    assert "Removed: your profile; 2 questions; 1 note or reply; 1 round introduction made anonymous." in reply["text"]
    assert rows_mentioning(history, "UASK", "calmer reviewer", "9 s to 40 ms", "Go code reviews", "slow #sql") == []
    with history.store.transaction() as repositories:
        after = repositories.program.figures(DEFAULT_TEAM, Period(history.clock()))
        assert repositories.profiles.get(DEFAULT_TEAM, "UASK") is None
    assert (after.asks_made, after.asks_matched, after.loops_closed) == (
        before.asks_made,
        before.asks_matched,
        before.loops_closed,
    )
    assert (after.of("coffee").participants, after.of("coffee").groups) == (
        before.of("coffee").participants,
        before.of("coffee").groups,
    )


def test_the_people_asked_see_the_ask_withdrawn_and_the_mentor_sees_no_name(history):
    forget(history)
    history.settle()

    withdrawn = [call for call in history.fake_slack.calls("chat.update") if call.args["channel"] == "DUDEV"]
    assert "withdrew this question" in withdrawn[-1].args["text"]
    assert QUESTION not in str(withdrawn[-1].args)
    history.slack.app_home_opened("UANA")
    history.settle()
    home = str(history.fake_slack.calls("views.publish")[-1].args["view"]["blocks"])
    assert "someone who has left Mentor" in home and "UASK" not in home


def test_dms_waiting_for_the_member_never_go_out(history):
    history.clock.advance(days=7)  # halfway to the next round: the coffee check-in would be due
    forget(history)
    sent = len(history.fake_slack.calls("chat.postMessage"))

    run_due_rounds(history.deps)
    run_due_followups(history.deps)
    history.settle()

    later = history.fake_slack.calls("chat.postMessage")[sent:]
    assert [call.args["channel"] for call in later if "UASK" in call.args["channel"]] == []


def test_forgetting_someone_mentor_never_knew_says_there_was_nothing(mentor):
    reply = forget(mentor, "UNEW")

    assert "nothing to forget" in reply["text"]
