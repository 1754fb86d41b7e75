"""`/mentor followups on|off`; alone, says which it is."""

from bot import ids
from bot.errors import InvalidInput
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from handlers.commands.invocation import Invocation
from jobs import followups as followup_jobs


def switch(run: Invocation) -> None:
    word = run.argument.strip().casefold()
    if word not in ("on", "off", ""):
        raise InvalidInput(f"Say `{ids.SLASH_COMMAND} followups on` or `{ids.SLASH_COMMAND} followups off`.")
    if not word:
        with run.deps.store.transaction() as repositories:
            enabled = repositories.followups.enabled_for(run.team_id, run.user_id)
        run.reply(followup_messages.followups_switched(enabled))
        return
    with run.deps.store.transaction() as work:
        cancelled = followup_services.switch(work, run.team_id, run.user_id, word == "on", run.deps.clock())
    for followup in cancelled:
        followup_jobs.refresh_prompts(run.client, run.deps, followup)
    run.reply(followup_messages.followups_switched(word == "on", len(cancelled)))
