"""Every id Slack sends back to us: the slash command, events, actions, views.

`tests/test_manifest.py` checks these against `manifest.yml` and against what the
handlers register, so a listener cannot exist without its manifest entry.
"""

SLASH_COMMAND = "/mentor"

# Bot events the app subscribes to (manifest: settings.event_subscriptions.bot_events).
APP_HOME_OPENED = "app_home_opened"
BOT_EVENTS = (APP_HOME_OPENED,)

# Bot scopes (manifest: oauth_config.scopes.bot), also asked for by the OAuth install flow.
BOT_SCOPES = ("commands", "chat:write", "im:write", "users:read")

# Actions (block_actions' action_id).
OPEN_PROFILE = "open_profile"
ACCEPT_ASK = "ask_accept"  # value: the ask's id
PASS_ASK = "ask_pass"  # value: the ask's id
CANCEL_ASK = "ask_cancel"  # value: the ask's id
PICK_ASK_SKILL = "ask_pick_skill"  # value: "<ask id>:<skill key>"
NAME_ASK_SKILL = "ask_name_skill"  # a text input; its block_id is "ask_skill:<ask id>"
FIND_MENTOR = "find_mentor"  # value: a skill key
ACTIONS = (OPEN_PROFILE, ACCEPT_ASK, PASS_ASK, CANCEL_ASK, PICK_ASK_SKILL, NAME_ASK_SKILL, FIND_MENTOR)

# Views (callback_id) and the block ids of their inputs.
PROFILE_VIEW = "profile"
ASK_VIEW = "ask"  # private_metadata: the skill key
ASK_QUESTION = "question"  # block and action id of the ask modal's input
VIEWS = (PROFILE_VIEW, ASK_VIEW)


class ProfileField:
    """Block ids of the profile modal's inputs; each block's single element uses the same id."""

    OFFERS = "offers"
    WANTS = "wants"
    OBJECTIVES = "objectives"
    CAREER_STAGE = "career_stage"
    TEAM = "team"
    SPONSORING = "open_to_sponsoring"
    CAPACITY = "capacity"
