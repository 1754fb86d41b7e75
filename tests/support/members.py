"""What members do in Slack, sent to the running app, and where the end-to-end tests find
what they were shown."""

import itertools
import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from bot import ids
from jobs.followups import run_due_followups
from storage import models
from tests.support.running_app import RunningApp
from tests.support.slack_requests import PRIVATE_TEXT, as_slack_sends, http_request

QUESTION = "How do I speed up a slow SQL query? <!channel>"
NOTE = "Tried the index <!channel> & it went from 9 s to 40 ms"
HISTORY_QUESTION = "How do I get better at Go code reviews?"  # the open ask of tests/e2e/conftest.py's history
_events = itertools.count(1)


def say(mentor, text: str, user_id: str) -> dict:
    """Send a command whose answer comes through response_url; return that answer."""
    before = len(mentor.fake_slack.calls("response_url"))
    reply = mentor.slack.command(text, user_id=user_id)
    assert reply.status == 200
    return mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args


def ask(mentor, question: str = QUESTION, user_id: str = "UASK") -> dict:
    before = len(mentor.fake_slack.calls("response_url"))
    reply = mentor.slack.command(f"ask {question}", user_id=user_id)
    assert reply.status == 200 and "Looking for mentors" in reply.json()["text"]
    answer = mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args
    mentor.settle()  # the outbox has sent what the ask queued
    return answer


def forget(mentor, user_id: str = "UASK") -> dict:
    """Click "Forget me" to confirm `/mentor forget`; return the answer."""
    before = len(mentor.fake_slack.calls("response_url"))
    assert mentor.slack.click(ids.FORGET_ME, user_id, "confirm", message=("D" + user_id, "1.0")).status == 200
    return mentor.fake_slack.wait_for("response_url", count=before + 1)[before].args


def offered_in(answer: dict, action_id: str) -> list[str]:
    """The skill labels a "which skill?" answer offers through `action_id`: buttons or a menu."""
    labels = []
    for block in answer["blocks"]:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("action_id") == action_id:
                options = element.get("options") or [element]
                labels += [option["text"]["text"] for option in options]
    return labels


def button_value(message_args: dict, action_id: str) -> str:
    for block in message_args["blocks"]:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button")


def option_value(message_args: dict, action_id: str, text: str) -> str:
    """The value of the option shown as `text` in the select `action_id` of a message."""
    for block in message_args["blocks"]:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("action_id") == action_id:
                return next(option["value"] for option in element["options"] if option["text"]["text"] == text)
    raise AssertionError(f"no {action_id} select")


def helped(mentor, asker: str = "UASK", helper: str = "UANA") -> str:
    """`helper` offers SQL, `asker` asks about it and `helper` says "I can help". Returns the ask id."""
    say(mentor, "offer SQL", helper)
    before = len(mentor.fake_slack.calls("chat.postMessage"))
    ask(mentor, "How do I speed up a slow #sql query?", asker)  # returns once the candidate's DM is out
    request = mentor.fake_slack.calls("chat.postMessage")[before]
    assert request.args["channel"] == "D" + helper
    ask_id = button_value(request.args, ids.ACCEPT_ASK)
    updates = len(mentor.fake_slack.calls("chat.update"))
    mentor.slack.click(ids.ACCEPT_ASK, helper, ask_id, message=(request.args["channel"], request.response["ts"]))
    mentor.fake_slack.wait_for("chat.update", count=updates + 1)  # the last step of the introduction
    mentor.settle()  # and the outbox's drain that sent it has ended
    return ask_id


def rows_of(app: RunningApp, owner: str | None = None) -> int:
    """Rows Mentor holds for `owner`, or for anyone."""
    with app.store.transaction() as repositories:
        return sum(
            repositories.session.scalar(
                select(func.count()).select_from(table).where(table.c.team_id == owner if owner else True)
            )
            or 0
            for table in models.Base.metadata.sorted_tables
            if "team_id" in table.c
        )


def submit_profile(mentor, user_id: str, stage: str, offers: str, wants: str):
    """`user_id` saves the profile modal with a career stage and what they offer and want;
    Mentor's answer to the submission."""
    values = {
        "offers": {"offers": {"type": "plain_text_input", "value": offers}},
        "wants": {"wants": {"type": "plain_text_input", "value": wants}},
        "career_stage": {"career_stage": {"type": "static_select", "selected_option": {"value": stage}}},
    }
    return mentor.slack.submit_view(ids.PROFILE_VIEW, values, user_id=user_id)


def posted_to(mentor, channel: str) -> list:
    """The messages Slack took in `channel` (refused calls are not messages)."""
    calls = mentor.fake_slack.calls("chat.postMessage")
    return [call for call in calls if call.args["channel"] == channel and call.response.get("ok")]


def prompt_of(mentor, channel: str = "DUASK"):
    [prompt] = [call for call in posted_to(mentor, channel) if "did you try it" in call.args["text"]][-1:]
    return prompt


def click(mentor, action_id: str, user_id: str, value: str, message) -> None:
    where = (message.args["channel"], message.response["ts"])
    assert mentor.slack.click(action_id, user_id, value, message=where).status == 200
    mentor.settle()  # the outbox has sent what the click queued


def reply_in_thread(
    mentor, user_id: str, channel: str, thread_ts: str | None, text: str, event_id: str | None = None
) -> dict:
    """`text`, as the member typed it, in the thread of `thread_ts` (None: not in a thread).
    Returns the event; sent again with the same `event_id`, it is Slack retrying it."""
    PRIVATE_TEXT.add(text)
    ts = f"1800000000.{next(_events):06d}"
    event = {
        "type": "message",
        "channel": channel,
        "channel_type": "im",
        "user": user_id,
        "text": as_slack_sends(text),
        "ts": ts,
        **({"thread_ts": thread_ts} if thread_ts else {}),
        "event_ts": ts,
    }
    assert mentor.slack.event(event, event_id=event_id or f"EvNote{next(_events)}").status == 200
    return event


def answer_followup(mentor, share: bool = False, note: str | None = None):
    """UANA helps UASK with SQL; a week later UASK says it helped (letting it count if `share`,
    adding `note` in the prompt's thread). Returns the prompt."""
    helped(mentor)
    mentor.clock.advance(days=7)
    run_due_followups(mentor.deps)
    prompt = prompt_of(mentor)
    followup_id = button_value(prompt.args, ids.FOLLOWUP_CHOICES["helped"])
    click(mentor, ids.FOLLOWUP_CHOICES["helped"], "UASK", followup_id, prompt)
    mentor.settle()
    if share:
        click(mentor, ids.FOLLOWUP_SHARE, "UASK", f"{followup_id}:yes", prompt)
    if note:
        reply_in_thread(mentor, "UASK", "DUASK", prompt.response["ts"], note)
    mentor.settle()
    return prompt


def install(app: RunningApp, code: str) -> str:
    """Slack's install flow, from the app's install page to its OAuth redirect, for `code`.
    Returns the page the installer lands on."""
    page = http_request(app.url + "/slack/install")
    assert page.status == 200
    authorize = re.search(r'<a href="([^"]+)"', page.body).group(1).replace("&amp;", "&")
    assert authorize.startswith(app.fake_slack.origin + "oauth/v2/authorize")
    query = parse_qs(urlsplit(authorize).query)
    assert set(query["scope"][0].split(",")) == {
        "commands",
        "chat:write",
        "im:write",
        "im:history",
        "mpim:write",
        "mpim:history",
        "users:read",
        "files:write",
        "chat:write.public",
        "channels:read",
        "groups:read",
    }
    cookie = page.headers["Set-Cookie"].split(";")[0]
    callback = http_request(
        f"{app.url}/slack/oauth_redirect?code={code}&state={query['state'][0]}", headers={"Cookie": cookie}
    )
    assert callback.status == 200, callback.body
    return callback.body
