"""Deliveries queued before their kinds and references were typed (migration 0008) are sent as
they were, and the ask kinds the outbox renders ahead of time work, through the real sender
against the fake Slack, on SQLite and PostgreSQL."""

import json
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.asks import messages as ask_messages
from bot.deliveries import DeliveryKind
from bot.followups import messages as followup_messages
from bot.followups.model import FollowUpPolicy
from bot.members import messages as member_messages
from bot.rounds import messages as round_messages
from bot.rounds.model import COFFEE, REVERSE, Unmatched
from deps import Deps
from jobs.outbox import drain
from jobs.pacing import Pacer
from storage import models
from storage.db import Store
from storage.migrations import is_current, upgrade
from storage.outbox import About, queue_deliveries
from storage.types import UtcDateTime
from tests.support.fake_slack import DEFAULT_TEAM, DEFAULT_TOKEN
from tests.support.migrations import downgrade

TEAM = DEFAULT_TEAM
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
HELD = date(2026, 11, 9)  # the coffee and reverse rounds already held
NEXT = date(2026, 11, 23)  # the coffee round the notice is about

# The outbox as revision 0007 left it: what a delivery is about, only in its subject.
LEGACY_DELIVERIES = sa.table(
    "deliveries",
    *(sa.column(name) for name in ("team_id", "subject", "followup_id", "recipient", "purpose", "key", "status")),
    sa.column("attempts"),
    sa.column("available_at", UtcDateTime()),
    sa.column("created_at", UtcDateTime()),
)
LEGACY_ROUNDS = sa.table(  # rounds as 0007 knew them: without the reasons of those left unmatched
    "rounds",
    sa.column("id"),
    sa.column("team_id"),
    sa.column("kind"),
    sa.column("held_on"),
    sa.column("created_at", UtcDateTime()),
)
LEGACY_ASKS = sa.table(  # asks as 0007 knew them: not yet posted in a channel nor tried again
    "asks",
    sa.column("id"),
    *(sa.column(name) for name in ("team_id", "asker_id", "question", "status", "mentor_id", "widened")),
    sa.column("created_at", UtcDateTime()),
)
LEGACY_MEMBERS = sa.table(
    "members",
    *(sa.column(name) for name in ("team_id", "user_id", "capacity", "objectives", "team", "open_to_sponsoring")),
)


def deps_for(engine, fake_slack) -> Deps:
    return Deps(
        store=Store(engine),
        clock=lambda: NOW,
        client_for=lambda team_id: WebClient(token=DEFAULT_TOKEN, base_url=fake_slack.api_url),
        pacer=Pacer(rates={}),
    )


def posted(fake_slack) -> list[tuple[str, str]]:
    """(channel, text) of every message posted, sorted."""
    return sorted((call.args["channel"], call.args["text"]) for call in fake_slack.calls("chat.postMessage"))


def add_round(session: Session, kind: str) -> int:
    """A round held on HELD, as revision 0007 knew rounds; its id."""
    row = {"team_id": TEAM, "kind": kind, "held_on": HELD, "created_at": NOW - timedelta(days=7)}
    return session.execute(sa.insert(LEGACY_ROUNDS).values(row).returning(LEGACY_ROUNDS.c.id)).scalar_one()


def add_group(session: Session, round_id: int, members: tuple[str, ...]) -> int:
    group = models.RoundGroup(
        round_id=round_id,
        team_id=TEAM,
        members=",".join(members),
        proposer=members[0],
        details=json.dumps({"teaching": [[members[0], members[1], ["SQL"]]], "reasons": [], "question": "Why?"}),
    )
    session.add(group)
    session.flush()
    session.add_all(models.RoundMember(group_id=group.id, user_id=user_id, team_id=TEAM) for user_id in members)
    return group.id


def test_deliveries_queued_before_0008_get_their_references_and_go_out_as_before(empty_engine, fake_slack):
    upgrade(empty_engine, "0007")
    with Session(empty_engine) as session, session.begin():
        session.execute(  # members as 0007 knew them: columns added since are not there yet
            sa.insert(LEGACY_MEMBERS),
            [
                {
                    "team_id": TEAM,
                    "user_id": user_id,
                    "capacity": 3,
                    "objectives": f"{user_id} grows",
                    "team": "",
                    "open_to_sponsoring": False,
                }
                for user_id in ("UA", "UB", "UC", "UF", "UG", "UH", "UASK", "UMENTOR")
            ],
        )
        coffee, reverse = add_round(session, "coffee"), add_round(session, "reverse")
        pair, silent, reverse_pair = (
            add_group(session, coffee, ("UA", "UB")),
            add_group(session, coffee, ("UG", "UH")),
            add_group(session, reverse, ("UC", "UF")),
        )
        ask_id = session.execute(
            LEGACY_ASKS.insert()
            .values(
                team_id=TEAM,
                asker_id="UASK",
                question="SQL?",
                status="matched",
                created_at=NOW,
                mentor_id="UMENTOR",
                widened=False,
            )
            .returning(LEGACY_ASKS.c.id)
        ).scalar_one()
        followup = models.FollowUp(
            team_id=TEAM, ask_id=ask_id, mentee_id="UASK", mentor_id="UMENTOR", status="sent", helped_at=NOW, cycle=1
        )
        session.add(followup)
        session.flush()
        followup_id = followup.id
        legacy = [  # subject, purpose, recipient, key, status
            ("welcome:UNEW", "welcome", "UNEW", "welcome", "pending"),
            (f"round-group:{pair}", "intro", "UA,UB", "intro", "pending"),
            (f"round-group:{pair}", "checkin", "UA,UB", "checkin", "pending"),
            (f"round-group:{silent}", "checkin", "UG,UH", "checkin", "sent"),
            (f"round-group:{reverse_pair}", "learned", "UC", "learned", "pending"),
            (f"round-notice:coffee:{NEXT}", "notice", "UA", "notice", "pending"),
            (f"round-unmatched:reverse:{HELD}", "unmatched", "UD", "unmatched", "pending"),
            (f"round-quiet:{HELD}", "quiet", "UE", "quiet", "pending"),
            (f"round-announce:{coffee}", "announce", "CPROGRAM", "announce", "pending"),
            (f"followup:{followup_id}", "prompt", "UASK", "prompt:1", "pending"),
        ]
        session.execute(
            LEGACY_DELIVERIES.insert(),
            [
                {
                    "team_id": TEAM,
                    "subject": subject,
                    "followup_id": followup_id if purpose == "prompt" else None,
                    "recipient": recipient,
                    "purpose": purpose,
                    "key": key,
                    "status": status,
                    "attempts": 0,
                    "available_at": NOW,
                    "created_at": NOW,
                }
                for subject, purpose, recipient, key, status in legacy
            ],
        )

    upgrade(empty_engine)

    with Session(empty_engine) as session:
        stored = {
            (row.kind, row.recipient): (row.group_id, row.round_kind, row.held_on)
            for row in session.scalars(sa.select(models.Delivery))
        }
    assert stored == {
        ("welcome", "UNEW"): (None, None, None),
        ("intro", "UA,UB"): (pair, None, None),
        ("checkin", "UA,UB"): (pair, None, None),
        ("checkin", "UG,UH"): (silent, None, None),
        ("learned", "UC"): (reverse_pair, None, None),
        ("notice", "UA"): (None, "coffee", NEXT),
        ("unmatched", "UD"): (None, "reverse", HELD),
        ("quiet", "UE"): (None, "coffee", HELD),
        ("announce", "CPROGRAM"): (None, "coffee", HELD),
        ("prompt", "UASK"): (None, None, None),
    }

    deps = deps_for(empty_engine, fake_slack)
    assert drain(deps) == 9
    with deps.store.transaction() as repositories:
        assert repositories.outbox.counts(TEAM) == {"sent": 10}
        intro = repositories.rounds.introduction(TEAM, pair, "UA,UB")
        prompt = followup_messages.prompt(repositories.followups.get(TEAM, followup_id), NOW, FollowUpPolicy())
    expected = [
        ("DUNEW", member_messages.welcome()),
        ("DUAUB", round_messages.introduction(intro)),
        ("DUAUB", round_messages.checkin(pair, ("UA", "UB"), None, None)),
        ("DUC", round_messages.what_did_you_learn(reverse_pair, "UC", ("UC", "UF"))),
        ("DUA", round_messages.notice(COFFEE, NEXT)),
        ("DUD", round_messages.unmatched(REVERSE, Unmatched.NO_FIT, date(2026, 12, 1))),
        ("DUE", round_messages.quiet_paused(COFFEE)),
        ("CPROGRAM", round_messages.announcement(COFFEE, 2, 4)),
        ("DUASK", prompt),
    ]
    assert posted(fake_slack) == sorted((channel, message["text"]) for channel, message in expected)


def test_the_ask_kinds_the_outbox_renders(empty_engine, fake_slack):
    upgrade(empty_engine)
    with Session(empty_engine) as session, session.begin():
        asks = {
            status: models.Ask(
                team_id=TEAM,
                asker_id="UASK",
                question=f"A {status} question",
                status=status,
                created_at=NOW,
                mentor_id="UMENTOR" if status == "matched" else None,
            )
            for status in ("open", "matched", "unanswered")
        }
        session.add_all(asks.values())
        session.flush()
        ids = {status: ask.id for status, ask in asks.items()}
        for status, recipient, kind in [
            ("open", "UCAND", DeliveryKind.ASK_REQUEST),
            ("matched", "ULATE", DeliveryKind.ASK_REQUEST),  # taken before its turn came: not sent
            ("matched", "UASK,UMENTOR", DeliveryKind.ASK_INTRODUCTION),
            ("unanswered", "UASK", DeliveryKind.ASK_UNANSWERED),
        ]:
            queue_deliveries(session, TEAM, About.ask(ids[status]), [(recipient, kind, kind.value)], NOW)

    deps = deps_for(empty_engine, fake_slack)
    assert drain(deps) == 3
    with deps.store.transaction() as repositories:
        # Cancelled: ULATE's request, and the edit of UMENTOR's request DM that the introduction
        # queues (UMENTOR was never sent one here: nothing to redraw).
        assert repositories.outbox.counts(TEAM) == {"sent": 3, "cancelled": 2}
        ask = {status: repositories.asks.get(TEAM, ask_id) for status, ask_id in ids.items()}
    expected = [
        ("DUCAND", ask_messages.candidate_request(ask["open"])),
        ("DUASKUMENTOR", ask_messages.introduction(ask["matched"], followup_planned=False)),
        ("DUASK", ask_messages.unanswered(ask["unanswered"])),
    ]
    assert posted(fake_slack) == sorted((channel, message["text"]) for channel, message in expected)


def test_a_round_dm_queued_by_a_replica_still_on_0007_goes_out_by_its_subject(empty_engine, fake_slack):
    """During a rolling deploy, a replica on older code queues round DMs with their subject
    alone: sent as before; one whose group is gone cancelled, as before; one whose subject no
    code ever wrote is failed as naming nothing."""
    upgrade(empty_engine)
    with Session(empty_engine) as session, session.begin():
        session.add_all(models.Member(team_id=TEAM, user_id=user_id, capacity=3) for user_id in ("UA", "UB"))
        coffee = models.Round(team_id=TEAM, kind="coffee", held_on=HELD, created_at=NOW - timedelta(days=7))
        session.add(coffee)
        session.flush()
        pair = add_group(session, coffee.id, ("UA", "UB"))
        legacy = [  # subject, purpose, recipient
            (f"round-group:{pair}", "intro", "UA,UB"),
            (f"round-notice:coffee:{NEXT}", "notice", "UC"),
            ("round-group:4242", "checkin", "UG,UH"),
            ("round-group:forty-two", "checkin", "UE,UF"),
        ]
        session.execute(
            LEGACY_DELIVERIES.insert(),
            [
                {"team_id": TEAM, "subject": subject, "followup_id": None, "recipient": recipient, "purpose": purpose}
                | {"key": purpose, "status": "pending", "attempts": 0, "available_at": NOW, "created_at": NOW}
                for subject, purpose, recipient in legacy
            ],
        )

    deps = deps_for(empty_engine, fake_slack)
    assert drain(deps) == 2
    with Session(empty_engine) as session:
        outcome = {row.recipient: (row.status, row.error) for row in session.scalars(sa.select(models.Delivery))}
    assert outcome == {
        "UA,UB": ("sent", None),
        "UC": ("sent", None),
        "UG,UH": ("cancelled", "no_longer_needed"),
        "UE,UF": ("failed", "no_reference"),
    }
    texts = [text for _, text in posted(fake_slack)]
    assert any("UA" in text and "UB" in text for text in texts) and len(texts) == 2


def test_0008_reads_a_malformed_subject_as_no_reference_and_goes_back_to_0007_and_up_again(empty_engine):
    upgrade(empty_engine, "0007")
    rows = [("round-group:abc", "intro", "UA,UB"), ("round-announce:x1", "announce", "CPROGRAM")]
    with Session(empty_engine) as session, session.begin():
        session.execute(
            LEGACY_DELIVERIES.insert(),
            [
                {"team_id": TEAM, "subject": subject, "followup_id": None, "recipient": recipient, "purpose": purpose}
                | {"key": purpose, "status": "pending", "attempts": 0, "available_at": NOW, "created_at": NOW}
                for subject, purpose, recipient in rows
            ],
        )

    upgrade(empty_engine)
    with Session(empty_engine) as session:
        references = {
            (row.group_id, row.round_kind, row.held_on) for row in session.scalars(sa.select(models.Delivery))
        }
    downgrade(empty_engine, "0007")
    columns = {column["name"] for column in sa.inspect(empty_engine).get_columns("deliveries")}
    with empty_engine.connect() as connection:
        kept = connection.execute(sa.text("SELECT count(*) FROM deliveries")).scalar_one()
    upgrade(empty_engine)

    assert references == {(None, None, None)}
    assert not columns & {"group_id", "ask_id", "round_kind", "held_on"} and kept == 2
    assert is_current(empty_engine)
