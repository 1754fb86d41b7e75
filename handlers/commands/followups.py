"""`/mentor followups on|off`; alone, says which it is."""

from bot import ids
from bot.errors import InvalidInput
from bot.followups import messages as followup_messages
from bot.followups import services as followup_services
from handlers.commands.invocation import Invocation
from jobs import outbox


def switch(run: Invocation) -> None:
    word = run.argument.strip().casefold()
    if word not in ("on", "off", ""):
        raise InvalidInput(f"Say `{ids.SLASH_COMMAND} followups on` or `{ids.SLASH_COMMAND} followups off`.")
    with run.deps.store.transaction() as work:
        policy = run.deps.followup_policy_for(work, run.team_id)
        enabled = work.followups.enabled_for(run.team_id, run.user_id)
        if word:
            cancelled = followup_services.switch(work, run.team_id, run.user_id, word == "on", run.deps.clock())
            run.complete(work)
    if not word:  # replied after the transaction: no write lock held across a call to Slack
        run.reply(followup_messages.followups_switched(enabled, policy.delay))
        return
    outbox.kick(run.deps)  # the cancelled prompts are redrawn
    run.reply(followup_messages.followups_switched(word == "on", policy.delay, len(cancelled)))
