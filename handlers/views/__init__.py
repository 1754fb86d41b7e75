"""Modal submissions, one module per feature. What a modal holds comes from Slack's clients
and is read as untrusted; a submission is saved before the modal closes, so that a refusal
shows next to its field with what the member typed still there."""

from collections.abc import Callable

from slack_bolt import App

from bot import ids
from deps import Deps
from handlers.listeners import bind_all
from handlers.views import asks, followups, members, program, programs, rounds

# Work after a submission's ack, on a worker (handlers/interactions.py), by callback id.
AFTER_ACK: dict[str, Callable[..., None]] = {
    ids.ASK_VIEW: asks.start_from_modal,
    ids.NEW_PROGRAM_VIEW: programs.offer_enrollment,
    ids.PROFILE_VIEW: members.profile_saved,
    ids.SETTINGS_VIEW: program.settings_saved,
}


def register(app: App, deps: Deps) -> None:
    listeners: dict[str, Callable[..., None]] = {
        ids.PROFILE_VIEW: members.save_profile,
        ids.ASK_VIEW: asks.ask_from_modal,
        ids.FOLLOWUP_NOTE_VIEW: followups.save_note,
        ids.FOLLOWUP_REPLY_VIEW: followups.save_reply,
        ids.SETTINGS_VIEW: program.save_settings,
        ids.THANKS_VIEW: rounds.save_thanks,
        ids.NEW_PROGRAM_VIEW: programs.create_program,
    }
    bind_all(app.view, listeners, deps)
