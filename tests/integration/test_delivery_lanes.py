"""The outbox serves workspaces side by side, each at its own pace: one sender at a time
works a workspace, whichever process it runs in, so its calls keep within its Slack tiers;
every DM goes once; and a workspace waiting for its tier holds no other's DMs back. The
real sender against the fake Slack, which enforces each workspace's tiers as Slack does."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import make_url

from bot.deliveries import DeliveryKind
from jobs import outbox
from storage.db import Store, make_engine
from storage.migrations import upgrade
from storage.outbox import About, queue_to_each
from tests.support.databases import scratch_postgres_database
from tests.support.fake_slack import FakeSlack
from tests.support.senders import run_senders, sender, sender_process

# A tenth of Slack's tiers (jobs/pacing.py), and a short minute: the tiers bind after a few DMs.
TIERS = {"conversations.open": 5, "chat.postMessage": 6}
MINUTE = 2.0  # seconds, at the fake Slack
# The senders' minute, longer: jobs/pacing.py's margin for calls that reach Slack late is 1%
# of a minute, 20 ms here, far less than a loaded test machine may delay a call by.
PACED_MINUTE = 1.25 * MINUTE


def tokens_for(teams: list[str]) -> dict[str, str]:
    return {team: f"xoxb-{team.lower()}" for team in teams}


@pytest.fixture
def tiered_slack():
    fake = FakeSlack(tokens={}, tiers=TIERS, minute=MINUTE).start()
    yield fake
    fake.stop()


@pytest.fixture
def postgres_database(postgres_test_url):
    # A database of this worker's own (pytest-xdist runs these tests in two at once), whose
    # schema the sender processes see committed.
    with scratch_postgres_database(postgres_test_url, f"{make_url(postgres_test_url).database}_lanes") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_database")


def queue_welcomes(database_url: str, team_id: str, count: int, at: datetime) -> list[str]:
    """`count` welcome DMs queued in the workspace at `at`; their recipients."""
    recipients = [f"U{team_id[1:]}{n:03d}" for n in range(count)]
    engine = make_engine(database_url)
    with Store(engine).transaction() as repositories:
        for user_id in recipients:
            queue_to_each(repositories.session, team_id, About.welcome(user_id), DeliveryKind.WELCOME, [user_id], at)
    engine.dispose()
    return recipients


def posted_to(fake: FakeSlack, recipients: list[str]) -> list[int]:
    """How many messages each recipient's DM holds."""
    return [len(fake.history.get("D" + user_id, [])) for user_id in recipients]


def test_two_sender_processes_send_each_dm_once_and_keep_every_workspace_within_its_tiers(tiered_slack, database_url):
    """Ten workspaces, two sender processes, each claiming a few DMs at a time: each DM goes
    once, and the calls counted at the fake Slack keep within each workspace's tiers."""
    teams = [f"T{n:03d}" for n in range(10)]
    tokens = tokens_for(teams)
    tiered_slack.tokens.update({token: team for team, token in tokens.items()})
    now = datetime.now(UTC)
    recipients = {team: queue_welcomes(database_url, team, 12, now) for team in teams}  # 3 minutes' worth each

    _, posted = run_senders(2, database_url, tiered_slack.api_url, tokens, TIERS, PACED_MINUTE)

    for team in teams:
        assert posted_to(tiered_slack, recipients[team]) == [1] * 12, team
        for method, tier in TIERS.items():
            assert tiered_slack.busiest_minute(team, method) <= tier, (team, method)
    assert tiered_slack.refused() == []
    assert sum(posted) == 120 and 0 not in posted  # both senders had their share


def test_a_workspace_waiting_for_its_tier_does_not_hold_back_another_workspaces_dm(tiered_slack, database_url):
    tokens = tokens_for(["TSLOW", "TQUICK"])
    tiered_slack.tokens.update({token: team for team, token in tokens.items()})
    now = datetime.now(UTC)
    # More than a minute's worth for one workspace, queued first; then one DM in another.
    slow = queue_welcomes(database_url, "TSLOW", TIERS["conversations.open"] + 1, now - timedelta(seconds=1))
    [quick] = queue_welcomes(database_url, "TQUICK", 1, now)
    deps = sender(database_url, tiered_slack.api_url, tokens, TIERS, PACED_MINUTE)

    assert outbox.drain(deps) == len(slow) + 1

    posts = [call.args["channel"] for call in tiered_slack.calls("chat.postMessage")]
    assert posts.index("D" + quick) < posts.index("D" + slow[-1])  # sent while the slow one waited
    assert tiered_slack.refused() == []
    deps.store.engine.dispose()


def test_a_sender_killed_holding_a_batch_has_it_taken_back_and_each_dm_goes_once(database_url):
    """A sender claims the workspace's DMs a batch at a time and is killed (SIGKILL) with
    Slack holding one of them unanswered: the next process takes the whole batch back at
    start, finds what the dead one posted by its metadata, and sends only the rest."""
    tokens = tokens_for(["TKILL"])
    fake = FakeSlack(tokens={token: team for team, token in tokens.items()}).start()
    try:
        recipients = queue_welcomes(database_url, "TKILL", 8, datetime.now(UTC))
        fake.hold_after = 3  # the 4th is in Slack, its answer never reaches the sender
        with sender_process(database_url, fake.api_url, tokens, {}, 60.0) as process:
            fake.wait_for_messages(4)
            process.kill()  # with claims of a batch: the 4th, the two before it, and the untried
        fake.release.set()
        fake.hold_after = None
        engine = make_engine(database_url)
        with Store(engine).transaction() as repositories:  # as a process does at its start (app.py)
            taken_back = repositories.outbox.release_claims(datetime.now(UTC), outbox.gone_at_start)
        engine.dispose()
        deps = sender(database_url, fake.api_url, tokens, {}, 60.0)

        outbox.drain(deps)

        assert taken_back == 7  # all but the first DM, claimed alone and recorded
        assert posted_to(fake, recipients) == [1] * 8
        deps.store.engine.dispose()
    finally:
        fake.release.set()
        fake.stop()


def test_a_running_process_takes_over_at_its_next_drain_what_a_killed_sender_of_this_machine_held(database_url):
    """A sender killed (SIGKILL) holding the workspace's lane and a batch of its DMs, one of
    them in Slack unanswered: a process already running takes them over at its next drain,
    not once their leases run out ten minutes later, and each DM goes once."""
    tokens = tokens_for(["TKILL"])
    fake = FakeSlack(tokens={token: team for team, token in tokens.items()}).start()
    try:
        recipients = queue_welcomes(database_url, "TKILL", 8, datetime.now(UTC))
        deps = sender(database_url, fake.api_url, tokens, {}, 60.0)  # running before the other is killed
        fake.hold_after = 3
        with sender_process(database_url, fake.api_url, tokens, {}, 60.0) as process:
            fake.wait_for_messages(4)
            process.kill()
        fake.release.set()
        fake.hold_after = None

        outbox.drain(deps)

        assert posted_to(fake, recipients) == [1] * 8
        with deps.store.reading() as repositories:
            assert repositories.outbox.counts("TKILL") == {"sent": 8}
        deps.store.engine.dispose()
    finally:
        fake.release.set()
        fake.stop()
