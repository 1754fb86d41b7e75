"""`/mentor` and its subcommands."""

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import ids, replies, services
from bot.commands import parse_command
from bot.errors import InvalidInput, TemporarilyUnavailable
from bot.skills import SkillKind
from handlers.deps import Deps, workspace_of
from handlers.render import open_profile_modal

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
        ack()
        team_id, user_id = workspace_of(context), context.user_id
        try:
            if parsed.name == "profile":
                open_profile_modal(client, deps, team_id, user_id, command["trigger_id"])
            else:
                respond(**skills_reply(deps, team_id, user_id, _SKILL_KINDS[parsed.name], parsed.argument))
        except InvalidInput as error:
            respond(**replies.invalid_input(error))
        except TemporarilyUnavailable as error:
            respond(**replies.unavailable(error.message))


def skills_reply(deps: Deps, team_id: str, user_id: str, kind: SkillKind, argument: str) -> dict:
    """`/mentor offer|learn <skills>` adds them; with nothing after it, lists them."""
    with deps.store.transaction() as repositories:
        if not argument.strip():
            return replies.skills_listed(kind, services.list_skills(repositories.profiles, team_id, user_id, kind))
        return replies.skills_added(services.add_skills(repositories.profiles, team_id, user_id, kind, argument))
