"""The App Home tab, in the order a member acts on it: what needs them now, their open asks,
their rounds, their mentor network, the advice they gave, then their profile, compact."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot import blocks
from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from bot.asks.model import Ask
from bot.asks.services import Network
from bot.followups import messages as followup_messages
from bot.followups.messages import AdviceGiven
from bot.followups.model import FollowUp, FollowUpPolicy
from bot.ids import OPEN_PROFILE, SLASH_COMMAND
from bot.members.model import Profile, Skill
from bot.rounds import messages as round_messages
from bot.rounds import schedule as round_schedule
from bot.rounds import services as round_services
from bot.rounds.model import Membership, RoundsNow, Thanks
from bot.text import escape_mrkdwn, shown
from bot.unit_of_work import UnitOfWork

MAX_HOME_BLOCKS = 100  # Slack refuses a Home view with more

# What each list shows at most, so that a member with 30 wants, many asks and many
# follow-ups stays within MAX_HOME_BLOCKS with the admins' section below; the rest is one
# line saying how many more and where to see them.
NEEDS_LISTED = 3  # of each: follow-ups waiting for my answer, questions waiting for mine
ASKS_LISTED = 5
# Thank-yous read for the Home tab: enough to find one from each mentee of the advice listed
# (followup_messages.MAX_LISTED), and the latest THANKS_SHOWN of the rest.
THANKS_READ = 20
WANTS_LISTED = 8
SKILLS_LISTED = 10
OBJECTIVES_SHOWN = 300


@dataclass(frozen=True)
class MemberNow:
    """What a member with a profile has going on, as the Home tab shows it."""

    user_id: str
    today: date
    followups_waiting: Sequence[FollowUp] = ()  # waiting for my answer
    asks_waiting: Sequence[Ask] = ()  # questions that wait for my "I can help"
    open_asks: Sequence[Ask] = ()  # my own
    rounds: RoundsNow = field(default_factory=lambda: RoundsNow(Membership()))
    network: Network = field(default_factory=lambda: Network((), ()))
    given: Sequence[AdviceGiven] = ()
    thanked: Sequence[Thanks] = ()  # the latest thank-yous from round partners, newest first
    followups_on: bool = True
    policy: FollowUpPolicy = field(default_factory=FollowUpPolicy)


def member_now(work: UnitOfWork, team_id: str, user_id: str, now: datetime, policy: FollowUpPolicy) -> MemberNow:
    """What the Home tab shows a member with a profile, read in one unit of work; `today` is
    the workspace's local day (a program with a zone of its own counts its days there:
    bot.rounds.services.rounds_now)."""
    today = round_schedule.local_day(now, work.rounds.workspace_schedule(team_id))
    return MemberNow(
        user_id,
        today,
        followups_waiting=work.followups.waiting_for(team_id, user_id),
        asks_waiting=work.asks.waiting_on(team_id, user_id),
        open_asks=work.asks.pending_of(team_id, user_id),
        rounds=round_services.rounds_now(work, team_id, user_id, now),
        network=ask_services.mentor_network(work, team_id, user_id),
        given=work.followups.advice_given(team_id, user_id, followup_messages.MAX_LISTED),
        thanked=work.rounds.thanks_to(team_id, user_id, THANKS_READ),
        followups_on=work.followups.enabled_for(team_id, user_id),
        policy=policy,
    )


def _skills(skills: tuple[Skill, ...]) -> str:
    listed = blocks.skill_list(skills[:SKILLS_LISTED])
    return listed + (f" and {len(skills) - SKILLS_LISTED} more" if len(skills) > SKILLS_LISTED else "")


def _profile_blocks(profile: Profile, followups_on: bool, policy: FollowUpPolicy) -> list[dict]:
    """The profile in a few lines: only what is set."""
    lines = []
    if profile.offers:
        lines.append("I can help with: " + _skills(profile.offers))
    if profile.wants:
        lines.append("I want to grow: " + _skills(profile.wants))
    if profile.objectives:
        lines.append("What I want out of mentoring: " + shown(profile.objectives, OBJECTIVES_SHOWN))
    facts = [
        profile.career_stage.label if profile.career_stage else "",
        escape_mrkdwn(profile.team),
        "open to sponsoring" if profile.open_to_sponsoring else "",
        f"takes {profile.capacity} question{'s' if profile.capacity != 1 else ''} at once",
        f"follow-ups on: when a colleague helps you, I'll ask {followup_messages.timing(policy.delay)} how it went"
        " and tell them"
        if followups_on
        else "follow-ups off",
    ]
    return [
        blocks.divider(),
        blocks.header("Your profile"),
        *([blocks.section("\n".join(lines))] if lines else []),
        blocks.context(" · ".join(fact for fact in facts if fact)),
        blocks.actions(blocks.button("Edit profile", OPEN_PROFILE), followup_messages.followups_switch(followups_on)),
        blocks.context(f"Everyone here is both a mentor and a mentee. `{SLASH_COMMAND} help` lists the commands."),
    ]


def _welcome_blocks() -> list[dict]:
    return [
        blocks.header("Welcome to Mentor"),
        blocks.section(
            "Mentor helps colleagues learn from each other: everyone is both a mentor and a mentee. "
            "Start by saying what you can help with and what you want to grow. "
            "You are not enrolled in anything until you choose to be."
        ),
        blocks.actions(blocks.button("Set up my profile", OPEN_PROFILE, style="primary")),
        blocks.context(f"Or type `{SLASH_COMMAND} offer SQL, public speaking` and `{SLASH_COMMAND} learn delegation`."),
    ]


def _needs_blocks(now: MemberNow) -> list[dict]:
    """What waits for my answer; nothing when nothing does."""
    needs = [
        *followup_messages.waiting_blocks(list(now.followups_waiting), now.policy, NEEDS_LISTED),
        *ask_messages.waiting_on_me(list(now.asks_waiting), NEEDS_LISTED),
    ]
    return [blocks.header("Waiting for you"), *needs] if needs else []


def _next_step(profile: Profile) -> list[dict]:
    """For a member whose profile lacks what Mentor works from: the one thing to do next."""
    if not profile.wants:
        text = (
            "*Next step:* say what you want to grow, and the colleagues who help you will show up here. "
            f"Or type `{SLASH_COMMAND} learn delegation`."
        )
        button = "Add what I want to grow"
    elif not profile.offers:
        text = (
            "*Next step:* say what you can help with, so that colleagues with a question can reach you. "
            f"Or type `{SLASH_COMMAND} offer SQL`."
        )
        button = "Add what I can help with"
    else:
        return []
    return [blocks.section(text), blocks.actions(blocks.button(button, OPEN_PROFILE, style="primary"))]


def _open_asks_blocks(open_asks: list[Ask]) -> list[dict]:
    if not open_asks:
        return []
    more = f" `{SLASH_COMMAND} asks` lists them."
    return [blocks.divider(), *ask_messages.my_asks(open_asks, ASKS_LISTED, more)["blocks"]]


def _thanks_for_advice(given: Sequence[AdviceGiven], thanked: Sequence[Thanks]) -> dict[int, Thanks]:
    """{ask id: the latest thank-you from its mentee} for the advice the Home tab lists, beside
    the newest advice to each mentee only (issue 21: "a thank-you for advice given is shown to
    the mentor beside the loops they closed")."""
    latest: dict[str, Thanks] = {}
    for thanks in thanked:  # newest first
        latest.setdefault(thanks.sender_id, thanks)
    beside = {}
    for advice in given[: followup_messages.MAX_LISTED]:
        if advice.mentee_id in latest:
            beside[advice.ask_id] = latest.pop(advice.mentee_id)
    return beside


def _given_blocks(given: Sequence[AdviceGiven], thanked: Sequence[Thanks]) -> list[dict]:
    """The advice I gave, each with its mentee's thank-you beside it, then the other thank-yous."""
    beside = _thanks_for_advice(given, thanked)
    shown = {thanks.id for thanks in beside.values()}
    rest = [thanks for thanks in thanked if thanks.id not in shown]
    return [
        *followup_messages.home_blocks(
            list(given), {ask_id: round_messages.thanks_beside(thanks) for ask_id, thanks in beside.items()}
        ),
        *round_messages.thanks_blocks(rest),
    ]


def _network_blocks(network: Network) -> list[dict]:
    if not network.wants and not network.elsewhere:
        return []  # the next step says how to start one
    return [blocks.divider(), *ask_messages.network(network, WANTS_LISTED)]


def home(profile: Profile | None, now: MemberNow | None = None, admin: Sequence[dict] = ()) -> dict:
    """The App Home tab: a welcome for someone without a profile (and the programs they are in,
    joined by a channel); else what needs me now, my
    open asks, my rounds, my mentor network, the advice I gave and my profile, each section
    only when it has something to show (`now`: what I have going on; None: nothing); then
    `admin`, the program's section for admins."""
    if profile is None:
        body = _welcome_blocks()
        if now is not None and now.rounds.joined:  # in a program by its channel before any profile
            body += round_messages.home_blocks(now.rounds, now.user_id, now.today)
    else:
        now = now or MemberNow(profile.user_id, date.min)
        body = [
            *_needs_blocks(now),
            *_next_step(profile),
            *_open_asks_blocks(list(now.open_asks)),
            *round_messages.home_blocks(now.rounds, now.user_id, now.today),
            *_network_blocks(now.network),
            *_given_blocks(now.given, now.thanked),
            *_profile_blocks(profile, now.followups_on, now.policy),
        ]
        if body[0]["type"] == "divider":
            body = body[1:]  # a divider only ever separates two sections
    body += list(admin)
    return {"type": "home", "blocks": body[:MAX_HOME_BLOCKS]}


def notice_modal(title: str, text: str) -> dict:
    """A modal that only tells something, such as that the database is not answering."""
    return {
        "type": "modal",
        "title": blocks.plain(title, 24),
        "close": blocks.plain("Close", 24),
        "blocks": [blocks.section(text)],
    }


def home_notice(text: str) -> dict:
    """The Home tab when the profile cannot be read: say so instead of showing stale data."""
    return {"type": "home", "blocks": [blocks.header("Mentor"), blocks.section(text)]}
