"""`/mentor offer`, `/mentor learn` and `/mentor profile`."""

from bot.members import messages as member_messages
from bot.members import services as member_services
from bot.members.model import SkillKind
from handlers.commands.invocation import Invocation
from handlers.render import open_profile_modal
from jobs import asks as ask_jobs


def offer(run: Invocation) -> None:
    """`/mentor offer <skills>` adds skills the member can help with; alone, lists them."""
    message = skills_reply(run, SkillKind.OFFER)
    if run.argument.strip():
        ask_jobs.refresh_member(run.client, run.deps, run.team_id, run.user_id)  # a new mentor's time zone
        ask_jobs.send_queued_asks(run.deps, run.team_id)  # a new mentor may take a queued ask
    run.reply(message)


def learn(run: Invocation) -> None:
    """`/mentor learn <skills>` adds skills the member wants to grow; alone, lists them."""
    run.reply(skills_reply(run, SkillKind.WANT))


def skills_reply(run: Invocation, kind: SkillKind) -> dict:
    with run.deps.store.transaction() as work:
        if not run.argument.strip():
            return member_messages.skills_listed(
                kind, member_services.list_skills(work, run.team_id, run.user_id, kind)
            )
        added = member_services.add_skills(work, run.team_id, run.user_id, kind, run.argument)
        run.complete(work)
        return member_messages.skills_added(added)


def profile(run: Invocation) -> None:
    """`/mentor profile`: the profile modal, filled with what the member has."""
    open_profile_modal(run.client, run.deps, run.team_id, run.user_id, run.trigger_id)
