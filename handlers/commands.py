"""`/mentor` and its subcommands."""

import logging
from dataclasses import dataclass, field
from functools import partial

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import ids, replies
from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from bot.asks.model import clean_question
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from bot.members import messages as member_messages
from bot.members import services as member_services
from bot.members.model import SkillKind
from bot.rounds import messages as round_messages
from bot.rounds import services as round_services
from bot.rounds.model import RoundKind, round_kind
from bot.slash_command import MentorCommand, parse_command
from handlers import admin
from handlers.deps import Deps, reporting, workspace_of
from handlers.render import open_profile_modal
from jobs import asks as ask_jobs
from jobs import followups as followup_jobs

logger = logging.getLogger(__name__)
_SKILL_KINDS = {"offer": SkillKind.OFFER, "learn": SkillKind.WANT}


def register(app: App, deps: Deps) -> None:
    @app.command(ids.SLASH_COMMAND)
    def handle_mentor_command(ack: Ack, command: dict, respond: Respond, client: WebClient, context) -> None:
        parsed = parse_command(command.get("text"))
        if parsed.name == "help":
            ack(**replies.usage())
            return
        if parsed.name == "unknown":
            ack(**replies.usage(parsed.typed))
            return
        if parsed.name == "forget":
            ack(**member_messages.confirm())  # nothing happens before the member confirms
            return
        if parsed.name == "ask":
            try:
                clean_question(parsed.argument)  # pure and quick: a bad question is refused in the ack itself
            except InvalidInput as error:
                ack(**replies.invalid_input(error))
                return
            ack(**ask_messages.looking())
        else:
            ack()
        team_id, user_id = workspace_of(context), context.user_id
        if parsed.name not in ("profile", "settings"):
            # The rest of the work runs elsewhere (see hand_off): under a burst of commands, the
            # listener threads stay free to acknowledge the next ones at once.
            hand_off(deps, CommandJob(team_id, user_id, parsed, command["response_url"], client.token))
            return
        reply = partial(_respond_with, respond)
        try:  # a modal: its trigger id lasts 3 seconds, so now, on this thread
            if parsed.name == "profile":
                open_profile_modal(client, deps, team_id, user_id, command["trigger_id"])
            else:
                admin.handle_command(
                    client, deps, team_id, user_id, parsed.name, parsed.argument, command["trigger_id"], reply
                )
        except TemporarilyUnavailable as error:
            respond(**replies.unavailable(error.message))


@dataclass(frozen=True)
class CommandJob:
    """A command's work after the ack: what it needs, in a form another process can take."""

    team_id: str
    user_id: str
    # Out of repr, so that no log line can hold them: what the member typed, and secrets.
    command: MentorCommand = field(repr=False)
    response_url: str = field(repr=False)
    token: str = field(repr=False)  # the bot token the request was authorized with


def hand_off(deps: Deps, job: CommandJob) -> None:
    """To the command worker process when there is one, else to this process's background pool."""
    if deps.command_worker is not None:
        deps.command_worker.submit(job)
    else:
        deps.background.submit(perform, deps, job)


def perform(deps: Deps, job: CommandJob) -> None:
    """A command's work after the ack; whatever goes wrong, the member is told (see reporting)."""
    reply = partial(_respond_with, Respond(response_url=job.response_url))
    client = deps.bot_client(job.token)
    reporting(partial(answer_command, client, deps, job.team_id, job.user_id, job.command, reply), reply)


def tell_interrupted(job: CommandJob) -> None:
    """For a job the command worker held when it died: the member hears so, and what to check."""
    try:
        Respond(response_url=job.response_url)(**replies.interrupted(job.command.name))
    except Exception as error:  # noqa: BLE001 - a thread of our own: log it
        logger.error("Telling a member their command was interrupted failed: %s", type(error).__name__)


def answer_command(client: WebClient, deps: Deps, team_id: str, user_id: str, parsed: MentorCommand, reply) -> None:
    """Every subcommand but those that open a modal, after the ack; refusals reach the member
    through `reply` (see reporting)."""
    if parsed.name == "ask":
        ask_jobs.start_ask(client, deps, team_id, user_id, parsed.argument, reply)
    elif parsed.name == "asks":
        with deps.store.transaction() as repositories:
            reply(ask_messages.my_asks(repositories.asks.pending_of(team_id, user_id)))
    elif parsed.name in ("join", "leave", "pause", "resume"):
        reply(rounds_reply(deps, team_id, user_id, parsed.name, parsed.argument))
    elif parsed.name in ("stats", "export"):
        admin.handle_command(client, deps, team_id, user_id, parsed.name, parsed.argument, "", reply)
    elif parsed.name == "followups":
        reply(followups_reply(client, deps, team_id, user_id, parsed.argument))
    elif parsed.name == "network":
        with deps.store.transaction() as repositories:
            network = ask_services.mentor_network(repositories.asks, repositories.profiles, team_id, user_id)
        reply(ask_messages.network_reply(network))
    else:
        kind = _SKILL_KINDS[parsed.name]
        message = skills_reply(deps, team_id, user_id, kind, parsed.argument)
        if kind is SkillKind.OFFER and parsed.argument.strip():
            ask_jobs.refresh_member(client, deps, team_id, user_id)  # a new mentor's time zone
        reply(message)


def rounds_reply(deps: Deps, team_id: str, user_id: str, verb: str, argument: str) -> dict:
    """`/mentor join|leave coffee|reverse`, `/mentor pause [2w|YYYY-MM-DD]`, `/mentor resume`."""
    today = deps.clock().date()
    with deps.store.transaction() as repositories:
        if verb in ("join", "leave"):
            kind = round_kind(argument)
            change = round_services.join if verb == "join" else round_services.leave
            state = change(repositories.rounds, team_id, user_id, kind)
            said = f"{'Joined' if verb == 'join' else 'Left'} {kind.label}."
            if (
                verb == "join"
                and kind is RoundKind.REVERSE
                and not repositories.program.settings(team_id).reverse_enabled
            ):
                said += (
                    " Your program's admins have paused reverse mentoring for now: you'll be paired once it is back."
                )
        elif verb == "pause":
            state = round_services.pause(repositories.rounds, team_id, user_id, argument, today)
            said = "Paused: no rounds and no asks reach you meanwhile."
        else:
            state = round_services.resume(repositories.rounds, team_id, user_id)
            said = "Welcome back."
    return round_messages.membership(state, today, said)


def followups_reply(client: WebClient, deps: Deps, team_id: str, user_id: str, argument: str) -> dict:
    """`/mentor followups on|off`; alone, says which it is."""
    word = argument.strip().casefold()
    if word not in ("on", "off", ""):
        raise InvalidInput(f"Say `{ids.SLASH_COMMAND} followups on` or `{ids.SLASH_COMMAND} followups off`.")
    with deps.store.transaction() as repositories:
        if not word:
            return followup_messages.followups_switched(repositories.followups.enabled_for(team_id, user_id))
        cancelled = followup_services.switch(repositories.followups, team_id, user_id, word == "on", deps.clock())
    for followup in cancelled:
        followup_jobs.refresh_prompts(client, deps, followup)
    return followup_messages.followups_switched(word == "on", len(cancelled))


def _respond_with(respond: Respond, message: dict) -> None:
    respond(**message)


def skills_reply(deps: Deps, team_id: str, user_id: str, kind: SkillKind, argument: str) -> dict:
    """`/mentor offer|learn <skills>` adds them; with nothing after it, lists them."""
    with deps.store.transaction() as repositories:
        if not argument.strip():
            return member_messages.skills_listed(
                kind, member_services.list_skills(repositories.profiles, team_id, user_id, kind)
            )
        return member_messages.skills_added(
            member_services.add_skills(repositories.profiles, team_id, user_id, kind, argument)
        )
