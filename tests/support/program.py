"""What members answered, as the program's figures read it: for the admins' end-to-end tests of
the rule that a figure from answers shows only once enough people gave them (issue 19)."""

from datetime import timedelta

from storage import models
from tests.support.fake_slack import DEFAULT_TEAM
from tests.support.running_app import RunningApp


def answers_from(app: RunningApp, people: int, again: int = 0) -> None:
    """`people` members (UP1…) each answered every question admins see figures of, ten days
    ago: a coffee check-in ("met"), a reverse month end ("a lot"), and a follow-up to the ask
    the next of them helped with ("it helped", let to count). The first answers `again` more
    check-ins besides, from other groups. Written as the app records them, in one transaction."""
    asked = app.clock() - timedelta(days=10)
    members = [f"UP{index}" for index in range(1, people + 1)]
    with app.store.transaction() as repositories:
        session = repositories.session
        coffee = models.Round(team_id=DEFAULT_TEAM, kind="coffee", held_on=asked.date(), created_at=asked)
        reverse = models.Round(team_id=DEFAULT_TEAM, kind="reverse", held_on=asked.date(), created_at=asked)
        session.add_all([coffee, reverse])
        session.flush()
        details = '{"teaching": [], "reasons": [], "question": ""}'
        for index, user_id in enumerate(members):
            mentor = members[(index + 1) % people]
            ask = models.Ask(
                team_id=DEFAULT_TEAM,
                asker_id=user_id,
                question="How do I speed up a slow query?",
                status="matched",
                created_at=asked,
                mentor_id=mentor,
                matched_at=asked + timedelta(hours=1),
            )
            session.add(ask)
            session.flush()
            session.add(
                models.FollowUp(
                    team_id=DEFAULT_TEAM,
                    ask_id=ask.id,
                    mentee_id=user_id,
                    mentor_id=mentor,
                    status="answered",
                    helped_at=ask.matched_at,
                    cycle=1,
                    outcome="helped",
                    shared=True,
                )
            )
            for _ in range(1 + (again if index == 0 else 0)):
                session.add(
                    models.RoundGroup(
                        round_id=coffee.id,
                        team_id=DEFAULT_TEAM,
                        members=f"{user_id},UQ{index}",
                        proposer=user_id,
                        details=details,
                        outcome="met",
                        answered_by=user_id,
                        answered_at=asked + timedelta(days=7),
                    )
                )
            pair = models.RoundGroup(
                round_id=reverse.id,
                team_id=DEFAULT_TEAM,
                members=f"{user_id},UR{index}",
                proposer=user_id,
                details=details,
            )
            session.add(pair)
            session.flush()
            session.add(
                models.ReverseLearning(
                    group_id=pair.id,
                    user_id=user_id,
                    team_id=DEFAULT_TEAM,
                    learned="a_lot",
                    answered_at=asked + timedelta(days=9),
                )
            )
