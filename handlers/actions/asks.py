"""The buttons of asks: "I can help", "Not this time", Cancel, the skill an ask needs,
"Find a mentor", and for an ask nobody could take: the program channel and trying again."""

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import home, ids
from bot.asks import messages as ask_messages
from bot.asks import services as ask_services
from deps import Deps
from handlers.listeners import REFUSALS, Click, admit, admitted, ask_id_from, field_error, member_click, run_use_case
from handlers.render import refresh_home
from jobs import asks as ask_jobs
from jobs import outbox
from storage.db import Repositories


def accept_ask(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "I can help" (value: the ask's id): the first wins and meets the asker in a group DM."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    accepted = run_use_case(
        deps,
        click,
        lambda work: ask_jobs.queue_dms(
            work,
            deps,
            ask_services.accept_ask(
                work,
                team_id,
                ask_id_from(action.get("value")),
                user_id,
                deps.clock(),
                deps.followup_policy_for(work, team_id),
            ),
        ),
    )
    if accepted is not None:
        outbox.kick(deps)  # the pair's introduction, the other candidates' DMs redrawn
    if click.on_home:  # the question leaves "Waiting for you", or says why it could not be taken
        refresh_home(client, deps, team_id, user_id)


def pass_ask(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Not this time" (value: the ask's id): the ask goes on to the next candidate."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    passed = run_use_case(
        deps,
        click,
        lambda work: ask_jobs.queue_dms(
            work,
            deps,
            ask_services.pass_ask(
                work,
                team_id,
                ask_id_from(action.get("value")),
                user_id,
                deps.clock(),
                deps.ask_policy_for(work, team_id),
            ),
        ),
    )
    if passed is not None:
        outbox.kick(deps)  # their DM redrawn, the next candidate's request or the asker's word
    if click.on_home:
        refresh_home(client, deps, team_id, user_id)


def cancel_ask(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """The asker's Cancel (value: the ask's id), under `/mentor asks` or on the Home tab."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    cancelled = run_use_case(
        deps,
        click,
        lambda work: ask_jobs.queue_dms(
            work,
            deps,
            ask_services.cancel_ask(work, team_id, ask_id_from(action.get("value")), user_id, deps.clock()),
        ),
    )
    if cancelled is not None:
        outbox.kick(deps)  # the candidates' DMs redrawn
        click.answer(ask_messages.cancelled(cancelled.ask, bool(cancelled.closed)), replace=True)
        refresh_home(client, deps, team_id, user_id)


def pick_ask_skill(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """One of the skills offered to an ask that had none (value: "<ask id>:<skill key>")."""
    ack()
    ask_text, _, skill_key = (action.get("value") or "").partition(":")
    route_with_skill(deps, Click(body, respond, client), context, ask_text, skill_key)


def select_ask_skill(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """A skill chosen from the menu of an ask that had none (value: "<ask id>:<skill key>")."""
    ack()
    ask_text, _, skill_key = ((action.get("selected_option") or {}).get("value") or "").partition(":")
    route_with_skill(deps, Click(body, respond, client), context, ask_text, skill_key)


def name_ask_skill(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """A skill typed for an ask that had none (block id: "ask_skill:<ask id>")."""
    ack()
    ask_text = (action.get("block_id") or "").removeprefix(ask_messages.ASK_SKILL_BLOCK_PREFIX)
    route_with_skill(deps, Click(body, respond, client), context, ask_text, action.get("value") or "")


def route_with_skill(deps: Deps, click: Click, context: BoltContext, ask_text: str, skill_name: str) -> None:
    if (who := admitted(deps, click, context)) is None:
        return
    team_id, user_id = who
    routed = run_use_case(
        deps,
        click,
        lambda work: ask_jobs.queue_dms(
            work,
            deps,
            ask_services.choose_skill(
                work,
                team_id,
                ask_id_from(ask_text),
                user_id,
                skill_name,
                deps.clock(),
                deps.ask_policy_for(work, team_id),
            ),
        ),
    )
    if routed is not None:
        ask_jobs.deliver_routed(click.client, deps, routed, lambda message: click.answer(message, replace=True))


def find_mentor(ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext, *, deps: Deps) -> None:
    """ "Find a mentor" for one of the member's wants (value: the skill's key): who an ask would reach."""
    ack()
    try:
        team_id, user_id = admit(deps, client, context)
        with deps.store.transaction() as work:
            policy = deps.ask_policy_for(work, team_id)
            skill, ranking = ask_services.suggest_mentors(
                work, team_id, user_id, action.get("value") or "", deps.clock(), policy
            )
        view = ask_messages.find_mentor_modal(skill, ranking.chosen, len(ranking.busy))
    except REFUSALS as error:
        view = home.notice_modal("Find a mentor", field_error(error))
    client.views_open(trigger_id=body["trigger_id"], view=view)


# --- an ask nobody could take: the program channel, and trying again (issue 20) ---------------
def post_ask(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Post with my name" or "Post anonymously" (value: the ask's id): the asker's ask nobody
    could take goes to the program channel, for anyone to pick up."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    anonymous = action.get("action_id") == ids.POST_ASK_ANONYMOUSLY
    posted = run_use_case(
        deps,
        click,
        lambda work: ask_jobs.queue_dms(
            work,
            deps,
            ask_services.post_to_channel(
                work,
                team_id,
                ask_id_from(action.get("value")),
                user_id,
                anonymous,
                deps.clock(),
                deps.ask_policy_for(work, team_id),
            ),
        ),
    )
    if posted is not None:
        outbox.kick(deps)  # the post in the channel
        click.answer(ask_messages.posted(posted), replace=True)


def claim_ask(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "I can help" on an ask in the program channel (value: the ask's id): anyone but the
    asker, the first wins and meets the asker in a group DM; later clicks are told privately."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked

    def claim(work: Repositories) -> ask_services.Accepted | ask_services.Cancelled:
        outcome = ask_services.claim_ask(
            work,
            team_id,
            ask_id_from(action.get("value")),
            user_id,
            deps.clock(),
            deps.followup_policy_for(work, team_id),
        )
        # Two calls of one line: queue_dms is typed for one kind of outcome at a time.
        if isinstance(outcome, ask_services.Accepted):
            return ask_jobs.queue_dms(work, deps, outcome)
        return ask_jobs.queue_dms(work, deps, outcome)  # the asker is gone: the post closes

    claimed = run_use_case(deps, click, claim)
    if claimed is None:
        return
    outbox.kick(deps)  # the pair's introduction and the channel's post redrawn
    if isinstance(claimed, ask_services.Accepted):
        click.answer(ask_messages.claimed(claimed.ask))
    else:
        click.answer(ask_messages.asker_gone(claimed.ask))


def ask_again(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Ask again" (value: the ask's id): the same question and skill, routed afresh; once."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    routed = run_use_case(
        deps,
        click,
        lambda work: ask_jobs.queue_dms(
            work,
            deps,
            ask_services.ask_again(
                work,
                team_id,
                ask_id_from(action.get("value")),
                user_id,
                deps.clock(),
                deps.ask_policy_for(work, team_id),
            ),
        ),
    )
    if routed is not None:
        ask_jobs.deliver_routed(click.client, deps, routed, click.answer)


def ask_other_skill(
    ack: Ack, action: dict, body: dict, respond: Respond, client: WebClient, context: BoltContext, *, deps: Deps
) -> None:
    """ "Name another skill" (value: the ask's id): the asker picks or types it, then the same
    question is routed (pick_ask_skill and the like); once."""
    if (clicked := member_click(deps, ack, body, respond, client, context)) is None:
        return
    click, team_id, user_id = clicked
    waiting = run_use_case(
        deps,
        click,
        lambda work: ask_services.ask_other_skill(
            work, team_id, ask_id_from(action.get("value")), user_id, deps.clock()
        ),
    )
    if waiting is not None:
        click.answer(ask_messages.routed(waiting))
