"""Program figures against a small workspace whose every figure was worked out by hand,
on real SQLite and PostgreSQL; and the settings admins save."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.asks import services as ask_services
from bot.asks.model import AskPolicy
from bot.deliveries import DeliveryKind
from bot.followups.model import FollowUpPolicy, FollowUpStatus
from bot.members.model import SkillKind, normalize_skill
from bot.program.disclosure import NO_ANSWERS, TOO_FEW, Answers
from bot.program.model import Period, ProgramSettings, SkillDemand
from bot.rounds.model import RoundKind
from storage import models

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TEAM, OTHER = "TFIG", "TOTHER"


def at(day: str, hour: float = 10) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hour)


@pytest.fixture
def workspace(repositories):
    """Five members (A to E) and F, who left. Worked out by hand for the last 90 days:
    asks 6 made, 4 matched, 1 still open; waits 0.5, 2, 24 and 6 hours (median 4 h);
    A and B gave help, A, B and C received it, so A and B did both (2 of 3);
    follow-ups: 3 sent, 2 closed, one outcome counted ("helped"; the other was not shared);
    coffee: 2 rounds, 3 intros, members A, B, C and F, one met and one not this time;
    reverse: 1 round, 1 pair, one side learned a lot and the other something;
    skills wanted beyond what is offered: SQL (3 want, 1 offers), then Design (2, 0)."""
    session = repositories.session
    for team, user, coffee, reverse, gone in [
        (TEAM, "UA", True, False, False),
        (TEAM, "UB", True, False, False),
        (TEAM, "UC", True, False, False),
        (TEAM, "UD", False, True, False),
        (TEAM, "UE", False, True, False),
        (TEAM, "UF", True, False, True),
        (OTHER, "UA", True, True, False),
    ]:
        session.add(models.Member(team_id=team, user_id=user, capacity=2, deactivated=gone))
        for program, joined in ((RoundKind.COFFEE, coffee), (RoundKind.REVERSE, reverse)):
            repositories.rounds.set_opt_in(team, user, program.value, joined)
    skills = {}
    for team, label in [(TEAM, "SQL"), (TEAM, "Design"), (TEAM, "Writing"), (TEAM, "Python"), (OTHER, "SQL")]:
        skills[team, label] = models.Skill(team_id=team, key=label.casefold(), label=label)
        session.add(skills[team, label])
    session.flush()
    for team, user, kind, label in [
        (TEAM, "UA", "want", "SQL"),
        (TEAM, "UB", "want", "SQL"),
        (TEAM, "UC", "want", "SQL"),
        (TEAM, "UD", "offer", "SQL"),
        (TEAM, "UA", "want", "Design"),
        (TEAM, "UE", "want", "Design"),
        (TEAM, "UA", "want", "Writing"),
        (TEAM, "UB", "offer", "Writing"),
        (TEAM, "UC", "offer", "Writing"),
        (TEAM, "UF", "want", "Python"),
        (OTHER, "UA", "want", "SQL"),
    ]:
        session.add(
            models.MemberSkill(team_id=team, user_id=user, kind=kind, skill_id=skills[team, label].id, position=0)
        )

    def ask(asker, created, status="matched", mentor=None, waited_hours=None, team=TEAM, followup=None):
        row = models.Ask(
            team_id=team,
            asker_id=asker,
            question="How do I write a private question?",
            skill_id=skills[team, "SQL"].id,
            status=status,
            created_at=created,
            mentor_id=mentor,
            matched_at=created + timedelta(hours=waited_hours) if waited_hours is not None else None,
        )
        session.add(row)
        session.flush()
        if followup:
            status, outcome, shared = followup
            session.add(
                models.FollowUp(
                    team_id=team,
                    ask_id=row.id,
                    mentee_id=asker,
                    mentor_id=mentor,
                    status=status,
                    helped_at=row.matched_at,
                    cycle=0 if status == "scheduled" else 1,
                    outcome=outcome,
                    shared=shared,
                    note="A private note about the advice",
                )
            )

    ask("UA", at("2026-11-01"), mentor="UB", waited_hours=0.5, followup=("answered", "helped", True))
    ask("UB", at("2026-11-02"), mentor="UA", waited_hours=2, followup=("answered", "didnt_help", False))
    ask("UC", at("2026-11-03"), mentor="UA", waited_hours=24, followup=("sent", None, False))
    ask("UD", at("2026-11-05"), status="unanswered")
    ask("UE", at("2026-11-20"), status="open")
    ask("UC", at("2026-11-10"), mentor="UB", waited_hours=6, followup=("scheduled", None, False))
    ask("UA", at("2026-05-01"), mentor="UD", waited_hours=1, followup=("answered", "helped", True))  # before the period
    ask("UA", at("2026-11-01"), team=OTHER, mentor="UB", waited_hours=1, followup=("answered", "mixed", True))

    def held(kind, day, groups, team=TEAM):
        round_row = models.Round(team_id=team, kind=kind, held_on=date.fromisoformat(day), created_at=at(day))
        session.add(round_row)
        session.flush()
        for members, outcome, learned in groups:
            group = models.RoundGroup(
                round_id=round_row.id,
                team_id=team,
                members=",".join(members),
                proposer=members[0],
                outcome=outcome,
                answered_by=members[0] if outcome else None,
                details=json.dumps({"teaching": [[members[0], members[1], ["SQL"]]], "reasons": [], "question": ""}),
            )
            session.add(group)
            session.flush()
            session.add_all(models.RoundMember(group_id=group.id, user_id=user, team_id=team) for user in members)
            for user, level in learned.items():
                session.add(
                    models.ReverseLearning(
                        group_id=group.id, user_id=user, team_id=team, learned=level, answered_at=at(day)
                    )
                )

    held("coffee", "2026-11-09", [(("UA", "UB"), "met", {}), (("UC", "UF"), None, {})])
    held("coffee", "2026-11-23", [(("UA", "UC"), "not_this_time", {})])
    held("coffee", "2026-06-01", [(("UA", "UB"), "met", {})])  # before the period
    held("reverse", "2026-11-02", [(("UD", "UE"), None, {"UD": "a_lot", "UE": "something"})])
    held("coffee", "2026-11-09", [(("UA", "UX"), "met", {})], team=OTHER)
    for status in ("pending", "sending", "sent"):
        session.add(
            models.Delivery(
                team_id=TEAM,
                subject=f"round-group:{status}",
                recipient="UA,UB",
                kind=DeliveryKind.ROUND_INTRODUCTION.value,
                key="intro",
                status=status,
                available_at=NOW,
                created_at=NOW,
            )
        )
    session.flush()
    return repositories


def test_every_figure_matches_the_hand_computed_workspace(workspace):
    figures = workspace.program.figures(TEAM, Period(NOW, 90))

    assert figures.members == 5
    assert (figures.asks_made, figures.asks_matched, figures.asks_waiting) == (6, 4, 1)
    assert figures.median_to_help == timedelta(hours=4)
    assert figures.helpers == Answers({"gave": 2, "received": 3, "both": 2}, people=3)
    assert figures.reciprocity == TOO_FEW  # three people: below the threshold of issue 19
    assert figures.followups_sent == 3 and figures.loops_closed == Answers({"closed": 2}, people=2)
    assert figures.outcomes == Answers({"helped": 1}, people=1)
    coffee, reverse = figures.of("coffee"), figures.of("reverse")
    assert (coffee.opted_in, coffee.rounds, coffee.participants, coffee.groups) == (3, 2, 4, 3)
    assert coffee.answers == Answers({"met": 1, "not_this_time": 1}, people=1)  # UA answered both
    assert (reverse.opted_in, reverse.rounds, reverse.participants, reverse.groups) == (2, 1, 2, 1)
    assert reverse.answers == Answers({"a_lot": 1, "something": 1}, people=2)
    assert figures.gaps == (SkillDemand("SQL", 3, 1), SkillDemand("Design", 2, 0))
    assert figures.pending_intros == 2


def test_a_shorter_period_leaves_out_what_came_before_it(workspace):
    figures = workspace.program.figures(TEAM, Period(NOW, 14))  # from 9 November, 09:30

    assert (figures.asks_made, figures.asks_matched) == (2, 1)
    assert figures.median_to_help == timedelta(hours=6)
    assert (figures.of("coffee").rounds, figures.of("coffee").groups, figures.of("reverse").rounds) == (2, 3, 0)


def test_an_empty_workspace_has_zeros_and_no_median(repositories):
    figures = repositories.program.figures("TEMPTY", Period(NOW, 90))

    assert (figures.members, figures.asks_made, figures.followups_sent, figures.of("coffee").groups) == (0, 0, 0, 0)
    assert figures.median_to_help is None and figures.reciprocity == NO_ANSWERS and figures.gaps == ()


def test_loops_are_counted_by_the_month_help_was_given(workspace):
    months = workspace.program.loops_by_month(TEAM, 7, NOW)

    assert months == [
        ("2026-05", 1, Answers({"closed": 1}, people=1)),
        ("2026-06", 0, Answers()),
        ("2026-07", 0, Answers()),
        ("2026-08", 0, Answers()),
        ("2026-09", 0, Answers()),
        ("2026-10", 0, Answers()),
        ("2026-11", 3, Answers({"closed": 2}, people=2)),
    ]


def test_relationships_name_members_by_id_and_carry_no_text_and_no_answer(workspace):
    rows = list(workspace.program.relationships(TEAM, Period(NOW, 90)))

    asks = [row for row in rows if row[0] == "ask"]
    assert [(row[4], row[5]) for row in asks] == [
        (("UB", "UA"), "sent"),  # answered, and let it count: one person's answer, so not said
        (("UA", "UB"), "sent"),
        (("UA", "UC"), "sent"),
        (("UB", "UC"), "scheduled"),
    ]
    assert [(row[0], row[1], row[2], row[4], row[5]) for row in rows if row[0] != "ask"] == [
        ("reverse", "reverse", date(2026, 11, 2), ("UD", "UE"), "introduced"),
        ("coffee", "coffee", date(2026, 11, 9), ("UA", "UB"), "introduced"),
        ("coffee", "coffee", date(2026, 11, 9), ("UC", "UF"), "introduced"),
        ("coffee", "coffee", date(2026, 11, 23), ("UA", "UC"), "introduced"),
    ]
    assert not any("private" in str(value) for row in rows for value in row)


def test_the_export_tells_a_follow_up_cancelled_before_it_was_sent_but_not_one_turned_off_after(workspace):
    """Turning follow-ups off after the prompt came is the mentee's answer: it reads "sent"."""
    followup, cancelled = models.FollowUp, FollowUpStatus.CANCELLED.value
    for mentor, mentee, cycle in (("UA", "UB", 1), ("UB", "UC", 0)):  # sent once, and never sent
        workspace.session.execute(
            update(followup)
            .where(followup.mentor_id == mentor, followup.mentee_id == mentee)
            .values(status=cancelled, cycle=cycle)
        )

    rows = workspace.program.relationships(TEAM, Period(NOW, 90))

    statuses = {row[4]: row[5] for row in rows if row[0] == "ask"}
    assert (statuses[("UA", "UB")], statuses[("UB", "UC")]) == ("sent", "cancelled")


def test_settings_start_at_the_defaults_and_saving_twice_keeps_the_last(repositories):
    assert repositories.program.settings("TNEW") == ProgramSettings()
    first = ProgramSettings(coffee_every_weeks=1, time_zone="Europe/Paris", program_channel="CPROGRAM")
    repositories.program.save_settings("TNEW", first)
    second = ProgramSettings(
        coffee_every_weeks=4,
        coffee_weekday=3,
        round_hour=15,
        reverse_enabled=False,
        ask_timeout_hours=12,
        followup_days=0,
    )
    repositories.program.save_settings("TNEW", second)

    assert repositories.program.settings("TNEW") == second
    assert repositories.rounds.schedule("TNEW", "coffee").every_weeks == 4
    assert repositories.followups.followup_days("TNEW") == 0


def test_a_forgotten_member_still_counts_anonymously_and_is_named_nowhere(workspace):
    before = workspace.program.figures(TEAM, Period(NOW, 90))

    forgotten = workspace.forgetting.forget(TEAM, "UA", "XTOMBSTONE01")
    after = workspace.program.figures(TEAM, Period(NOW, 90))

    assert (forgotten.profile, forgotten.skills, forgotten.asks, forgotten.rounds) == (True, 3, 2, 3)
    assert after.members == before.members - 1 and after.of("coffee").opted_in == before.of("coffee").opted_in - 1
    for name in (
        "asks_made",
        "asks_matched",
        "median_to_help",
        "followups_sent",
        "loops_closed",
        "outcomes",
        "helpers",
    ):
        assert getattr(after, name) == getattr(before, name), name
    assert (after.of("coffee").participants, after.of("coffee").groups, after.of("coffee").answers) == (
        before.of("coffee").participants,
        before.of("coffee").groups,
        before.of("coffee").answers,
    )
    session = workspace.session
    for column in (
        models.Ask.asker_id,
        models.Ask.mentor_id,
        models.FollowUp.mentee_id,
        models.FollowUp.mentor_id,
        models.RoundMember.user_id,
        models.RoundGroup.proposer,
        models.MemberSkill.user_id,
    ):
        assert session.scalars(select(column).where(column == "UA", column.class_.team_id == TEAM)).all() == [], column
    groups = session.scalars(select(models.RoundGroup.members).where(models.RoundGroup.team_id == TEAM))
    assert not [members for members in groups if "UA" in members.split(",")]
    assert session.scalars(select(models.FollowUp.note).where(models.FollowUp.mentee_id == "XTOMBSTONE01")).all() == [
        "",
        "",
    ]
    assert workspace.program.figures(OTHER, Period(NOW, 90)).asks_made == 1  # the other workspace's UA is untouched


def test_answers_count_the_distinct_people_who_gave_them(repositories):
    """One person answering five times is one (issue 19): four people, one of them answering
    twice, are four, and their answers stay withheld."""
    session = repositories.session
    rounds = [
        models.Round(team_id=TEAM, kind="coffee", held_on=date.fromisoformat(day), created_at=at(day))
        for day in ("2026-11-02", "2026-11-09")
    ]
    session.add_all(rounds)
    session.flush()
    details = json.dumps({"teaching": [], "reasons": [], "question": ""})
    for held, user in [(0, "UA"), (1, "UA"), (0, "UB"), (0, "UC"), (0, "UD")]:
        session.add(
            models.RoundGroup(
                round_id=rounds[held].id,
                team_id=TEAM,
                members=f"{user},UZ",
                proposer=user,
                outcome="met",
                answered_by=user,
                details=details,
            )
        )
    session.flush()

    answers = repositories.program.figures(TEAM, Period(NOW, 90)).of("coffee").answers

    assert answers == Answers({"met": 5}, people=4)
    assert answers.shown() is None and answers.withheld == TOO_FEW


def test_a_question_tried_again_counts_once_as_its_last_try(repositories):
    """Issue 20: "Ask again" makes a new ask naming the closed one; the figures count the
    question once, taken, not once unanswered and once taken."""
    policy = AskPolicy()
    repositories.profiles.add_skills(TEAM, "UANA", SkillKind.OFFER, [normalize_skill("SQL")])
    first = ask_services.start_ask(repositories, TEAM, "UASK", "How do I speed up a slow SQL query?", NOW, policy).ask
    ask_services.pass_ask(repositories, TEAM, first.id, "UANA", NOW, policy)  # nobody else: it closes
    again = ask_services.ask_again(repositories, TEAM, first.id, "UASK", NOW, policy).ask
    ask_services.accept_ask(repositories, TEAM, again.id, "UANA", NOW, FollowUpPolicy())

    figures = repositories.program.figures(TEAM, Period(NOW + timedelta(minutes=1), 90))

    assert (figures.asks_made, figures.asks_matched) == (1, 1)


def test_thank_yous_are_counted_only_once_five_people_sent_them(repositories):
    """Issue 21: how many thank-yous a period's coffee groups sent, never what nor who, and only
    from 5 senders on; one sender thanking twice is one person."""
    session = repositories.session
    held = models.Round(team_id=TEAM, kind="coffee", held_on=date(2026, 11, 2), created_at=at("2026-11-02"))
    session.add(held)
    session.flush()
    group = models.RoundGroup(round_id=held.id, team_id=TEAM, members="UA,UB", proposer="UA", details="{}")
    session.add(group)
    session.flush()

    def thank(sender: str, receiver: str) -> None:
        session.add(
            models.RoundThanks(
                group_id=group.id,
                team_id=TEAM,
                sender_id=sender,
                receiver_id=receiver,
                note="Thanks!",
                shared=False,
                sent_at=NOW,
            )
        )
        session.flush()

    for sender, receiver in [("UA", "UB"), ("UA", "UC"), ("UB", "UA"), ("UC", "UA"), ("UD", "UA")]:
        thank(sender, receiver)
    four = repositories.program.figures(TEAM, Period(NOW, 90)).of("coffee").thanks
    thank("UE", "UA")
    five = repositories.program.figures(TEAM, Period(NOW, 90)).of("coffee").thanks

    assert four.shown() is None and four.withheld == TOO_FEW
    assert five.shown() == {"sent": 6}
